"""In a real browser: the secretary builds and publishes a meeting; the invited delegate sees it; another gets 404."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import User
from tests.browser.conftest import screenshot
from tests.conftest import _HASH, PASSWORD


def _people(app):
    with app.app_context():
        for username, name, organiser in (("thuky_b", "Trần Thị Thu Hà", True), ("daibieu_a", "Lê Minh Tuấn", False),
                                          ("daibieu_b", "Phạm Thị Lan", False)):
            if db.session.scalar(sa.select(User).where(User.username == username)) is None:
                db.session.add(User(username=username, full_name=name, password_hash=_HASH,
                                    can_create_meetings=organiser))
        db.session.commit()


def log_in(page, username):
    page.goto("/login")
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")


def test_secretary_publishes_and_only_the_invited_delegate_sees_it(live_server, new_tablet):
    _, app = live_server
    _people(app)

    secretary = new_tablet()
    secretary.goto("/login")
    assert secretary.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in secretary.inner_text("h1")
    screenshot(secretary, "01-login")
    log_in(secretary, "thuky_b")
    secretary.click("#new-meeting-button")
    secretary.fill("#meeting-title", "Phiên họp chuyên đề về ngân sách năm 2027")
    secretary.fill("#meeting-organization", "UBND huyện Bình Minh")
    secretary.fill("#meeting-starts-at", "2026-12-05T08:00")
    secretary.fill("#meeting-location", "Phòng họp số 2")
    secretary.click("#meeting-submit")
    secretary.wait_for_selector("#add-item-form")
    meeting_url = secretary.url

    for title in ("Tờ trình dự toán ngân sách năm 2027", "Kế hoạch đầu tư công trung hạn"):
        secretary.fill("#item-title", title)
        secretary.click("#add-item-submit")
        secretary.wait_for_selector(f"#agenda-list .agenda-item:has-text('{title}')")
    titles = secretary.locator("#agenda-list .agenda-title").all_inner_texts()
    assert [t.splitlines()[-1].strip() for t in titles] == ["Tờ trình dự toán ngân sách năm 2027",
                                                       "Kế hoạch đầu tư công trung hạn"]

    # The keyboard alternative to dragging: move the second item up.
    secretary.locator("#agenda-list .agenda-item").nth(1).locator(".move-up").click()
    secretary.wait_for_function(
        "document.querySelector('#agenda-list .agenda-item .agenda-title').textContent.includes('Kế hoạch')")
    secretary.reload()
    assert "Kế hoạch đầu tư" in secretary.locator("#agenda-list .agenda-title").first.inner_text()

    value = secretary.locator("#invite-user option[data-username='daibieu_a']").get_attribute("value")
    secretary.select_option("#invite-user", value)
    secretary.select_option("#invite-role", "delegate")
    secretary.check("#invite-can-vote")
    secretary.click("#invite-submit")
    secretary.wait_for_selector("#participant-list [data-username='daibieu_a']")
    secretary.click("#publish-button")
    secretary.wait_for_selector("#meeting[data-status='published']")
    screenshot(secretary, "02-secretary-published")

    delegate = new_tablet()
    log_in(delegate, "daibieu_a")
    delegate.wait_for_selector("#meeting-list")
    assert "Phiên họp chuyên đề về ngân sách năm 2027" in delegate.inner_text("#meeting-list")
    delegate.click("text=Phiên họp chuyên đề về ngân sách năm 2027")
    delegate.wait_for_selector("#agenda-list")
    assert delegate.locator("#agenda-list .agenda-item").count() == 2
    assert delegate.locator("#publish-button").count() == 0 and delegate.locator("#add-item-form").count() == 0
    screenshot(delegate, "03-delegate-meeting")

    portrait = new_tablet(800, 1280)
    log_in(portrait, "daibieu_a")
    portrait.goto(meeting_url)
    screenshot(portrait, "04-delegate-portrait")
    # Nothing wider than the screen on a portrait tablet.
    assert portrait.evaluate("document.documentElement.scrollWidth") <= 800

    other = new_tablet()
    log_in(other, "daibieu_b")
    assert "Phiên họp chuyên đề" not in other.inner_text("body")
    response = other.goto(meeting_url)
    assert response.status == 404
    assert "Không tìm thấy" in other.inner_text("body")
    screenshot(other, "05-other-delegate-404")
