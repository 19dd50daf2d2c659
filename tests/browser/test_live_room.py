"""In a real browser: the chair presents from the console, two delegates' tablets follow page turns; one reads ahead by
hand (stops following, the banner shows), taps back and is on the presenter's page again; the wall screen, opened with a
room link, shows the presented page and the attendance bar."""
from __future__ import annotations

from tests.browser.conftest import screenshot
from tests.browser.seeding import csrf, seed_meeting, upload_ready_pdf
from tests.browser.test_secretary_flow import log_in


def _seed(app) -> int:
    return seed_meeting(app, [("thuky_lr", "Nguyễn Thu Trang", "secretary", False),
                              ("chutoa_lr", "Trần Quốc Bảo", "chair", True),
                              ("daibieu_lr1", "Lê Thị Hoa", "delegate", True),
                              ("daibieu_lr2", "Phạm Văn Nam", "delegate", True)],
                        title="Phiên họp UBND huyện tháng 12", organization="UBND huyện Bình Minh",
                        location="Phòng họp số 1",
                        items=["Báo cáo tình hình kinh tế – xã hội", "Dự toán ngân sách năm 2027"])


def _wait_page(page, n: int):
    page.wait_for_selector(f"#viewer-page[data-page='{n}']")
    page.wait_for_function("() => { const img = document.getElementById('page-image');"
                           " return !img.hidden && img.complete && img.naturalWidth > 0; }")


def test_chair_presents_delegates_follow_read_ahead_and_come_back_wall_shows_it(live_server, new_tablet):
    _, app = live_server
    mid = _seed(app)

    # The secretary uploads a 6-page document and makes a wall-screen link.
    secretary = new_tablet()
    log_in(secretary, "thuky_lr")
    item_id = secretary.request.get(f"/api/v1/meetings/{mid}").json()["agenda_items"][0]["id"]
    doc = upload_ready_pdf(secretary, item_id, "Bao_cao.pdf", 6)
    link = secretary.request.post(f"/api/v1/meetings/{mid}/wall-links", headers={"X-CSRFToken": csrf(secretary)}).json()

    # Two delegates open the document; one checks in from the meeting page.
    delegates = []
    for username in ("daibieu_lr1", "daibieu_lr2"):
        tablet = new_tablet()
        log_in(tablet, username)
        delegates.append(tablet)
    d1, d2 = delegates
    d1.goto(f"/meetings/{mid}")
    d1.click("#check-in-present")
    d1.wait_for_selector("#check-in[data-status='present']")
    for tablet in delegates:
        tablet.goto(f"/meetings/{mid}/documents/{doc['id']}")
        tablet.wait_for_selector("#viewer[data-ready='true']")
        tablet.wait_for_selector("#live-status[data-state='connected']")

    # The chair presents from the console: the viewer opens presenting page 1.
    chair = new_tablet()
    log_in(chair, "chutoa_lr")
    chair.goto(f"/meetings/{mid}/console")
    chair.wait_for_selector("#live-status[data-state='connected']")
    chair.wait_for_selector("#quorum-count")
    screenshot(chair, "30-chair-console")
    chair.click(f".present-doc[data-document-id='{doc['id']}']")
    chair.wait_for_selector("#viewer[data-presenting='true']")
    _wait_page(chair, 1)
    assert chair.get_attribute("#present-toggle", "aria-pressed") == "true"
    chair.click("#page-next")
    chair.click("#page-next")
    _wait_page(chair, 3)
    for tablet in delegates:
        _wait_page(tablet, 3)
        assert tablet.get_attribute("#viewer", "data-follow") == "on"
    assert d1.locator("#follow-banner").is_hidden()
    screenshot(d2, "31-tablet-following")

    # One reads ahead by hand: following stops, the banner says where the presenter is; one tap goes back.
    d1.fill("#page-input", "5")
    d1.press("#page-input", "Enter")
    _wait_page(d1, 5)
    d1.wait_for_selector("#follow-banner:visible")
    assert d1.get_attribute("#viewer", "data-follow") == "off"
    assert "Đang trình bày: trang 3" in d1.inner_text("#follow-banner")
    screenshot(d1, "32-tablet-banner")
    _wait_page(d2, 3)  # the other tablet is still with the presenter
    d1.click("#follow-back")
    _wait_page(d1, 3)
    assert d1.locator("#follow-banner").is_hidden() and d1.get_attribute("#viewer", "data-follow") == "on"

    # The wall screen shows the presented page and the attendance bar.
    wall = new_tablet(1920, 1080)
    wall.goto(f"/wall/{link['token']}")
    wall.wait_for_selector("#wall-page[data-page='3']")
    wall.wait_for_selector("#wall[data-show='page']")
    assert wall.evaluate("document.getElementById('wall-image').naturalWidth") > 0
    assert "Có mặt 1/3 đại biểu" in wall.inner_text("#wall-attendance")
    assert wall.inner_text("#wall-quorum")
    chair.click("#page-next")
    wall.wait_for_selector("#wall-page[data-page='4']")
    _wait_page(d1, 4)
    screenshot(wall, "33-wall-screen")

    # Someone checks in while everyone watches: the console's list and the wall's bar move with the delta, which
    # carries only that person's row.
    secretary.goto(f"/meetings/{mid}/console")
    secretary.wait_for_selector("#live-status[data-state='connected']")
    snapshot = secretary.request.get(f"/api/v1/meetings/{mid}/room").json()
    d2_row = next(p for p in snapshot["attendance"]["participants"] if p["full_name"] == "Phạm Văn Nam")
    secretary.wait_for_selector(f"#attendee-{d2_row['participant_id']}[data-status='unknown']")
    assert d2.request.post(f"/api/v1/meetings/{mid}/check-in", data={"status": "online"},
                           headers={"X-CSRFToken": csrf(d2)}).ok
    secretary.wait_for_selector(f"#attendee-{d2_row['participant_id']}[data-status='online']")
    wall.wait_for_function("document.getElementById('wall-attendance').innerText.includes('2/3')")
