"""In a real browser: the chair opens a prepared vote from the console; three delegates, each on their own tablet (two
reading a document, one on the meeting page), vote through the voting panel with its confirmation step and see their
own choice recorded; the wall screen shows progress, "counting" after the close and, once announced, the chart and
THÔNG QUA. And: a tablet reloaded while its ballot was unacknowledged sends the same ballot again, counted once."""
from __future__ import annotations

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.browser.conftest import screenshot
from tests.browser.test_secretary_flow import log_in
from tests.conftest import _HASH, local_time

QUESTION = ("Thông qua Tờ trình số 125/TTr-UBND về dự toán thu, chi ngân sách địa phương năm 2027 và phương án "
            "phân bổ ngân sách cấp huyện, kèm theo danh mục các công trình đầu tư công trung hạn giai đoạn 2026–2030?")


def _seed(app, tag: str) -> tuple[int, dict[str, int]]:
    """An in-progress meeting: a secretary, a chair and three delegates (all voting members but the secretary)."""
    with app.app_context():
        ids = {}
        for role, name in (("thuky", "Nguyễn Thu Trang"), ("chutoa", "Trần Quốc Bảo"), ("db1", "Lê Thị Hoa"),
                           ("db2", "Phạm Văn Nam"), ("db3", "Đỗ Minh Châu")):
            username = f"{role}_{tag}"
            user = User(username=username, full_name=name, password_hash=_HASH, can_create_meetings=role == "thuky")
            db.session.add(user)
            db.session.flush()
            ids[role] = user.id
        meeting = Meeting(title="Kỳ họp thứ 12 HĐND huyện Bình Minh", organization="HĐND huyện Bình Minh",
                          location="Hội trường", starts_at=local_time(), status="in_progress")
        meeting.items = [AgendaItem(position=0, title="Dự toán ngân sách năm 2027")]
        meeting.participants = [Participant(user_id=ids["thuky"], role="secretary", can_vote=False),
                                Participant(user_id=ids["chutoa"], role="chair", can_vote=True)] + [
            Participant(user_id=ids[d], role="delegate", can_vote=True) for d in ("db1", "db2", "db3")]
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, ids


def _csrf(page) -> str:
    return page.request.get("/api/v1/session").json()["csrf_token"]


def _post(page, url: str, body=None):
    response = page.request.post(url, headers={"X-CSRFToken": _csrf(page)}, data=body if body is not None else {})
    assert response.ok, response.text()
    return response.json()


def _prepare(secretary, mid: int, **over) -> dict:
    body = {"question": QUESTION, "kind": "yes_no", "rule": "cast", "secret": False, **over}
    return _post(secretary, f"/api/v1/meetings/{mid}/votes", body)


def _delegate(new_tablet, username: str, mid: int, size=(1280, 800)):
    tablet = new_tablet(*size)
    log_in(tablet, username)
    _post(tablet, f"/api/v1/meetings/{mid}/check-in", {"status": "present"})
    return tablet


def _vote(tablet, code: str, label: str, shot: str | None = None):
    """Through the panel: a big button, the confirmation step, then recorded after the server's acknowledgement."""
    tablet.wait_for_selector("#vote-screen[data-status='open'][data-step='choose']")
    tablet.click(f".ballot-choice[data-code='{code}']")
    tablet.wait_for_selector("#vote-screen[data-step='confirm']")
    assert f"Bạn chọn: {label}" in tablet.inner_text("#ballot-confirm")
    if shot:
        screenshot(tablet, f"{shot}-confirm")
    tablet.click("#ballot-confirm-yes")
    tablet.wait_for_selector("#vote-screen[data-step='done']")
    assert f"Đã ghi nhận phiếu của bạn: {label}" in tablet.inner_text("#ballot-done")
    if shot:
        screenshot(tablet, f"{shot}-recorded")


def test_chair_opens_delegates_vote_wall_shows_progress_and_the_result(live_server, new_tablet):
    _, app = live_server
    mid, _ = _seed(app, "vf")

    secretary = new_tablet()
    log_in(secretary, "thuky_vf")
    item_id = secretary.request.get(f"/api/v1/meetings/{mid}").json()["agenda_items"][0]["id"]
    doc = secretary.request.post(f"/api/v1/agenda-items/{item_id}/documents", headers={"X-CSRFToken": _csrf(secretary)},
                                 multipart={"file": {"name": "To_trinh.pdf", "mimeType": "application/pdf",
                                                     "buffer": pdfs.agenda_pdf(2)}}).json()
    for _ in range(300):
        if secretary.request.get(f"/api/v1/documents/{doc['id']}").json()["status"] == "ready":
            break
        secretary.wait_for_timeout(100)
    link = _post(secretary, f"/api/v1/meetings/{mid}/wall-links")
    vote = _prepare(secretary, mid, agenda_item_id=item_id, countdown_seconds=300)

    # Two delegates read the document, one is on the meeting page; all checked in.
    d1, d2 = (_delegate(new_tablet, f"db{n}_vf", mid) for n in (1, 2))
    d3 = _delegate(new_tablet, "db3_vf", mid, size=(800, 1280))  # a tablet held upright
    for tablet in (d1, d2):
        tablet.goto(f"/meetings/{mid}/documents/{doc['id']}")
        tablet.wait_for_selector("#viewer[data-ready='true']")
        tablet.wait_for_selector("#live-status[data-state='connected']")
    d3.goto(f"/meetings/{mid}")
    d3.wait_for_selector("#vote-screen[data-ready='true']", state="attached")
    for tablet in (d1, d2, d3):
        assert tablet.locator("#vote-screen").is_hidden()  # nothing to vote on yet

    wall = new_tablet()
    wall.goto(f"/wall/{link['token']}")
    wall.wait_for_selector("#live-status[data-state='connected']")
    assert wall.locator("#wall-vote").is_hidden()

    # The chair opens the prepared vote by clicking in the console.
    chair = new_tablet()
    log_in(chair, "chutoa_vf")
    chair.goto(f"/meetings/{mid}/console")
    chair.wait_for_selector("#live-status[data-state='connected']")
    chair.click(f"#vote-panel [data-vote-id='{vote['id']}'] .vote-open")

    # Every tablet shows the panel over what it was doing: the whole question, three labelled buttons.
    for tablet in (d1, d2, d3):
        tablet.wait_for_selector("#vote-screen[data-status='open'][data-step='choose']")
        assert QUESTION in tablet.inner_text("#ballot-question")
        labels = tablet.locator(".ballot-choice").all_inner_texts()
        assert [t.strip() for t in labels] == ["Đồng ý", "Không đồng ý", "Không biểu quyết"]
        assert "Đã biểu quyết: 0 / 3" in tablet.inner_text("#ballot-progress")
    assert d1.inner_text("#ballot-countdown").startswith("Còn lại: ")
    screenshot(d1, "40-tablet-vote-panel")
    screenshot(d3, "40-tablet-vote-panel-portrait")
    wall.wait_for_selector("#wall-vote[data-status='open']")
    assert QUESTION in wall.inner_text("#wall-vote-question")

    # Minimised to read, brought back by the banner.
    d2.click("#ballot-minimise")
    d2.wait_for_selector("#ballot-banner:visible")
    assert d2.locator("#vote-screen").is_hidden()
    assert "Bạn chưa biểu quyết" in d2.inner_text("#ballot-banner")
    screenshot(d2, "40-tablet-minimised")
    d2.click("#ballot-banner-open")
    d2.wait_for_selector("#vote-screen:visible")

    # Choose again goes back to the buttons; then two Đồng ý and one Không đồng ý.
    d1.click(".ballot-choice[data-code='no']")
    d1.wait_for_selector("#vote-screen[data-step='confirm']")
    d1.click("#ballot-confirm-back")
    d1.wait_for_selector("#vote-screen[data-step='choose']")
    _vote(d1, "yes", "Đồng ý", shot="41-tablet")
    wall.wait_for_function("() => document.getElementById('wall-vote-progress')?.textContent.includes('1 / 3')")
    screenshot(wall, "42-wall-progress")
    _vote(d2, "yes", "Đồng ý")
    _vote(d3, "no", "Không đồng ý", shot="45-tablet-portrait")
    d1.wait_for_function("() => document.getElementById('ballot-progress').textContent.includes('3 / 3')")

    # The chair closes: the wall counts, the tablets say it ended; then the result is announced.
    chair.click("#vote-close")
    if chair.locator("#vote-close-confirm").is_visible():
        chair.click("#vote-close-confirm")
    wall.wait_for_selector("#wall-vote[data-status='closed'] #wall-vote-counting")
    assert "Đang kiểm phiếu" in wall.inner_text("#wall-vote")
    assert wall.locator("#wall-chart").count() == 0  # no counts before they are announced
    for tablet in (d1, d2, d3):
        tablet.wait_for_selector("#vote-screen[data-status='closed']")
        assert "Biểu quyết đã kết thúc" in tablet.inner_text("#ballot-ended")
    assert "Đồng ý" in d1.inner_text("#ballot-done")
    chair.wait_for_selector("#vote-publish:visible")
    chair.click("#vote-publish")

    wall.wait_for_selector("#wall-vote[data-status='published'][data-outcome='passed']")
    assert "THÔNG QUA" in wall.inner_text("#wall-outcome")
    counts = {row.get_attribute("data-code"): row.get_attribute("data-count")
              for row in wall.locator(".wall-chart-row").all()}
    assert counts == {"yes": "2", "no": "1", "abstain": "0"}
    assert "Quá nửa số phiếu biểu quyết" in wall.inner_text("#wall-vote-rule")
    assert "Lê Thị Hoa" in wall.inner_text("#wall-chart")  # a named vote: who chose what
    screenshot(wall, "43-wall-result")
    for tablet in (d1, d2, d3):
        tablet.wait_for_selector("#vote-screen[data-status='published'] #ballot-result[data-outcome='passed']")
        assert "THÔNG QUA" in tablet.inner_text("#ballot-outcome")
    screenshot(d3, "44-tablet-result")

    # The reader closes the result; the document is there again.
    d1.click("#ballot-dismiss")
    assert d1.locator("#vote-screen").is_hidden() and d1.locator("#ballot-banner").is_hidden()


def test_a_tablet_reloaded_before_the_acknowledgement_resends_the_same_ballot_counted_once(live_server, new_tablet):
    _, app = live_server
    mid, _ = _seed(app, "vr")
    secretary = new_tablet()
    log_in(secretary, "thuky_vr")
    vote = _prepare(secretary, mid, secret=True)
    tablets = [_delegate(new_tablet, f"db{n}_vr", mid) for n in (1, 2, 3)]  # quorum: 3 of 4
    d1 = tablets[0]
    d1.goto(f"/meetings/{mid}")
    d1.wait_for_selector("#vote-screen[data-ready='true']", state="attached")
    chair = new_tablet()
    log_in(chair, "chutoa_vr")
    _post(chair, f"/api/v1/votes/{vote['id']}/open")

    # The ballot reaches the server but its acknowledgement never comes back (Wi-Fi gone at the wrong moment).
    d1.wait_for_selector("#vote-screen[data-status='open'][data-step='choose']")
    d1.evaluate("""() => {
      const room = document.getElementById('vote-screen').room;
      room.socket.off('vote_ballot'); // lost too
      const emit = room.emit;
      room.emit = (event, payload) => event === 'vote_cast'
        ? (room.socket.emit(event, { meeting_id: room.state.meeting_id, ...payload }), new Promise(() => {}))
        : emit(event, payload);
    }""")
    d1.click(".ballot-choice[data-code='yes']")
    d1.click("#ballot-confirm-yes")
    d1.wait_for_selector("#vote-screen[data-step='sending']")
    key = f"vote-ballot:{mid}:"
    pending = d1.evaluate(f"() => Object.entries(localStorage).filter(([k]) => k.startsWith('{key}'))"
                          ".map(([, v]) => JSON.parse(v))")
    assert len(pending) == 1 and pending[0]["acked"] is False
    for _ in range(50):  # stored on the server meanwhile
        if chair.request.get(f"/api/v1/votes/{vote['id']}").json()["voted_count"] == 1:
            break
        chair.wait_for_timeout(100)

    # Reloaded: the same ballot_id goes again, the server acknowledges it as already counted.
    d1.reload()
    d1.wait_for_selector("#vote-screen[data-step='done']")
    assert "Phiếu kín" not in d1.inner_text("#ballot-done")  # this device shows what it sent
    assert "Đồng ý" in d1.inner_text("#ballot-done")
    record = d1.evaluate(f"() => Object.entries(localStorage).filter(([k]) => k.startsWith('{key}'))"
                         ".map(([, v]) => JSON.parse(v))")
    assert len(record) == 1 and record[0]["acked"] is True and record[0]["ballot_id"] == pending[0]["ballot_id"]
    mine = d1.request.get(f"/api/v1/votes/{vote['id']}").json()["my_ballot"]
    assert mine == {"ballot_id": pending[0]["ballot_id"], "choices": None}  # secret: the server cannot say

    _post(chair, f"/api/v1/votes/{vote['id']}/close")
    result = chair.request.get(f"/api/v1/votes/{vote['id']}").json()["result"]
    assert result["ballots"] == 1
    assert {o["code"]: o["count"] for o in result["options"]} == {"yes": 1, "no": 0, "abstain": 0}

    # Logging out forgets what this device kept of the secret ballot: the tablet may be handed on.
    d1.evaluate("() => document.getElementById('logout-form').requestSubmit()")  # the panel covers the header
    d1.wait_for_url("**/login**")
    assert d1.evaluate(f"() => Object.keys(localStorage).filter((k) => k.startsWith('{key}')).length") == 0


def test_electing_with_toggle_tiles_and_a_member_not_on_the_list(live_server, new_tablet):
    _, app = live_server
    mid, _ = _seed(app, "vm")
    secretary = new_tablet()
    log_in(secretary, "thuky_vm")
    vote = _prepare(secretary, mid, question="Bầu Ủy viên Thường trực HĐND huyện (chọn tối đa 2 người)", kind="multi",
                    max_choices=2, options=["Lê Văn An", "Trần Thị Bình", "Hoàng Minh Cường"], rule="cast")
    tablets = [_delegate(new_tablet, f"db{n}_vm", mid) for n in (1, 2, 3)]
    for tablet in tablets:
        tablet.goto(f"/meetings/{mid}")
        tablet.wait_for_selector("#vote-screen[data-ready='true']", state="attached")
    chair = new_tablet()  # a voting member, but not checked in when the vote opens
    log_in(chair, "chutoa_vm")
    chair.goto(f"/meetings/{mid}")
    chair.wait_for_selector("#vote-screen[data-ready='true']", state="attached")
    _post(chair, f"/api/v1/votes/{vote['id']}/open")

    chair.wait_for_selector("#vote-screen[data-status='open'][data-step='ineligible']")
    assert "Bạn không thuộc danh sách biểu quyết" in chair.inner_text("#ballot-ineligible")
    assert chair.locator(".ballot-choice").count() == 0

    d1, d2, d3 = tablets
    options = {o["label"]: o["id"] for o in vote["options"]}
    d1.wait_for_selector("#vote-screen[data-status='open'][data-step='choose']")
    assert "Chọn tối đa 2" in d1.inner_text("#vote-screen")
    assert d1.is_disabled("#ballot-next")
    for name in ("Lê Văn An", "Trần Thị Bình", "Hoàng Minh Cường"):  # the third is one too many
        d1.click(f".ballot-choice[data-option-id='{options[name]}']")
    assert d1.inner_text("#ballot-counter") == "Đã chọn 2/2"
    assert d1.get_attribute(f".ballot-choice[data-option-id='{options['Hoàng Minh Cường']}']", "aria-pressed") == "false"
    screenshot(d1, "46-tablet-multi")
    d1.click("#ballot-next")
    d1.wait_for_selector("#vote-screen[data-step='confirm']")
    d1.click("#ballot-confirm-yes")
    d1.wait_for_selector("#vote-screen[data-step='done']")
    assert "Lê Văn An, Trần Thị Bình" in d1.inner_text("#ballot-done")
    for tablet, name in ((d2, "Lê Văn An"), (d3, "Hoàng Minh Cường")):
        tablet.wait_for_selector("#vote-screen[data-step='choose']")
        tablet.click(f".ballot-choice[data-option-id='{options[name]}']")
        tablet.click("#ballot-next")
        tablet.click("#ballot-confirm-yes")
        tablet.wait_for_selector("#vote-screen[data-step='done']")

    link = _post(secretary, f"/api/v1/meetings/{mid}/wall-links")
    _post(chair, f"/api/v1/votes/{vote['id']}/close")
    _post(chair, f"/api/v1/votes/{vote['id']}/publish")
    wall = new_tablet()
    wall.goto(f"/wall/{link['token']}")  # a wall opened just after the announcement still shows it
    wall.wait_for_selector("#wall-vote[data-status='published'][data-outcome='passed']")
    assert "Trúng cử: Lê Văn An" in wall.inner_text("#wall-outcome")
    screenshot(wall, "47-wall-elected")
    d2.wait_for_selector("#ballot-result[data-outcome='passed']")
