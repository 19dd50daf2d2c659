"""In a real browser: a tablet that misses a `room` delta notices the gap in the sequence numbers at the next one, asks
the server for a fresh snapshot (`sync`) and shows the presenter's page; later page turns apply normally again."""
from __future__ import annotations

import re

from server.extensions import db
from server.models import RoomState
from tests.browser.seeding import seed_meeting, upload_ready_pdf
from tests.browser.test_live_room import _wait_page
from tests.browser.test_secretary_flow import log_in

SYNC_FRAME = re.compile(r'^42\d*\["sync"')  # a Socket.IO event `sync` (with an acknowledgement id)


def _seed(app) -> int:
    return seed_meeting(app, [("thuky_rs", "Đỗ Thị Lan", "secretary", False),
                              ("chutoa_rs", "Hoàng Văn Minh", "chair", True),
                              ("daibieu_rs", "Vũ Thị Mai", "delegate", True)],
                        title="Phiên họp UBND xã tháng 12", organization="UBND xã An Bình", location="Hội trường xã",
                        items=["Kế hoạch phát triển kinh tế – xã hội năm 2027"])


def _lose_a_delta(app, meeting_id: int, page: int) -> int:
    """What a tablet sees when a delta never reaches it: the room's state moves on (seq + 1, another page) in the
    live server's database, and no `room` event is sent. Returns the new seq."""
    with app.app_context():
        state = db.session.get(RoomState, meeting_id)
        state.seq += 1
        state.page = page
        seq = state.seq
        db.session.commit()
        return seq


def test_a_tablet_that_missed_a_delta_syncs_and_shows_the_presenters_page(live_server, new_tablet):
    _, app = live_server
    mid = _seed(app)

    secretary = new_tablet()
    log_in(secretary, "thuky_rs")
    item_id = secretary.request.get(f"/api/v1/meetings/{mid}").json()["agenda_items"][0]["id"]
    doc = upload_ready_pdf(secretary, item_id, "Ke_hoach.pdf", 6)

    # The delegate's tablet, with every Socket.IO frame it sends noted.
    tablet = new_tablet()
    sent: list[str] = []
    tablet.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(
        payload if isinstance(payload, str) else payload.decode(errors="replace"))))
    log_in(tablet, "daibieu_rs")
    tablet.goto(f"/meetings/{mid}/documents/{doc['id']}")
    tablet.wait_for_selector("#viewer[data-ready='true']")
    tablet.wait_for_selector("#live-status[data-state='connected']")

    chair = new_tablet()
    log_in(chair, "chutoa_rs")
    chair.goto(f"/meetings/{mid}/console")
    chair.wait_for_selector("#live-status[data-state='connected']")
    chair.click(f".present-doc[data-document-id='{doc['id']}']")
    chair.wait_for_selector("#viewer[data-presenting='true']")
    _wait_page(chair, 1)
    chair.click("#page-next")
    _wait_page(chair, 2)
    _wait_page(tablet, 2)
    assert tablet.get_attribute("#viewer", "data-follow") == "on"
    assert not [f for f in sent if SYNC_FRAME.match(f)]  # in step so far: no reason to sync

    # A delta is lost: the room is at page 5 with the next seq, and the tablet was never told.
    _lose_a_delta(app, mid, 5)
    tablet.wait_for_timeout(500)
    _wait_page(tablet, 2)
    views = [p["view"] for p in tablet.request.get(f"/api/v1/documents/{doc['id']}").json()["pages"]]
    assert tablet.get_attribute("#page-image", "src") == views[1]

    # The presenter turns a page as usual (page 3, seq two ahead of the tablet's): the tablet sees the gap, asks for a
    # snapshot and shows the presenter's page.
    chair.click("#page-next")
    _wait_page(chair, 3)
    _wait_page(tablet, 3)
    assert tablet.input_value("#page-input") == "3"
    assert tablet.get_attribute("#page-image", "src") == views[2]  # the image of page 3, not 2 and not 5
    assert [f for f in sent if SYNC_FRAME.match(f)], "the tablet did not ask for a snapshot"
    assert tablet.get_attribute("#viewer", "data-follow") == "on"
    assert tablet.locator("#follow-banner").is_hidden()

    # In step again: the next page turn is applied as a plain delta, with no further sync.
    syncs = len([f for f in sent if SYNC_FRAME.match(f)])
    chair.click("#page-next")
    _wait_page(chair, 4)
    _wait_page(tablet, 4)
    assert tablet.get_attribute("#page-image", "src") == views[3]
    assert len([f for f in sent if SYNC_FRAME.match(f)]) == syncs
