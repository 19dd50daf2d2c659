"""In a real browser: the secretary uploads a 30-page agenda document and watches it render; a delegate reads it in the
tablet viewer (next button, arrow key, page box); the secretary sees how far the delegate read."""
from __future__ import annotations

import json
import re

import sqlalchemy as sa

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.browser.conftest import screenshot
from tests.browser.test_secretary_flow import log_in
from tests.conftest import _HASH, local_time

# Every text the status of an upload or a document row took, in order (a MutationObserver records them).
RECORD_STATUSES = """() => {
  window.__statuses = [];
  const seen = (text) => { if (window.__statuses.at(-1) !== text) window.__statuses.push(text); };
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('.upload-status')) seen(el.textContent.trim());
  }).observe(document.getElementById('agenda'), {subtree: true, childList: true, characterData: true});
}"""


def _seed(app) -> tuple[int, list[int]]:
    with app.app_context():
        people = {}
        for username, name, organiser in (("thuky_tl", "Nguyễn Văn Bình", True), ("daibieu_tl", "Hoàng Thị Mai", False),
                                          ("chutoa_tl", "Đỗ Quang Huy", False)):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            if user is None:
                user = User(username=username, full_name=name, password_hash=_HASH, can_create_meetings=organiser)
                db.session.add(user)
                db.session.flush()
            people[username] = user.id
        meeting = Meeting(title="Kỳ họp thứ 12 Hội đồng nhân dân huyện", organization="HĐND huyện Bình Minh",
                          location="Hội trường tầng 3", starts_at=local_time(), status="published")
        meeting.items = [AgendaItem(position=0, title="Báo cáo tình hình kinh tế – xã hội năm 2026",
                                    presenter="Phó Chủ tịch UBND huyện", planned_minutes=30),
                         AgendaItem(position=1, title="Tờ trình về công tác cán bộ")]
        meeting.participants = [Participant(user_id=people["thuky_tl"], role="secretary", can_vote=False),
                                Participant(user_id=people["chutoa_tl"], role="chair", can_vote=True),
                                Participant(user_id=people["daibieu_tl"], role="delegate", can_vote=True)]
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, [item.id for item in meeting.items]


def _wait_page(page, n: int):
    page.wait_for_selector(f"#viewer-page[data-page='{n}']")
    page.wait_for_function("() => { const img = document.getElementById('page-image');"
                           " return !img.hidden && img.complete && img.naturalWidth > 0; }")
    assert page.input_value("#page-input") == str(n)
    assert re.search(rf"[?&]page={n}\b", page.url), page.url


def test_secretary_uploads_delegate_reads_secretary_sees_who_read(live_server, new_tablet):
    _, app = live_server
    meeting_id, (item_id, second_item_id) = _seed(app)
    meeting_url = f"/meetings/{meeting_id}"

    # ---- the secretary uploads a 30-page PDF and watches it render ----
    secretary = new_tablet()
    log_in(secretary, "thuky_tl")
    secretary.goto(meeting_url)
    secretary.wait_for_selector("#agenda[data-documents-ready='true']")
    assert secretary.locator(f"#upload-zone-{item_id}").is_visible()
    # The socket is connected first, so the progress arrives live rather than by polling.
    secretary.wait_for_selector("#agenda[data-live='connected']")
    secretary.evaluate(RECORD_STATUSES)
    secretary.set_input_files(f"#upload-input-{item_id}", files=[
        {"name": "Bao_cao_KT-XH_2026.pdf", "mimeType": "application/pdf", "buffer": pdfs.agenda_pdf(30)}])
    row = secretary.locator(f"#upload-list-{item_id} .upload-row").first
    row.wait_for()
    secretary.wait_for_selector(f"#upload-list-{item_id} .upload-row.is-done", timeout=60_000)
    assert row.locator(".upload-status").inner_text() == "Sẵn sàng"
    statuses = secretary.evaluate("window.__statuses")
    assert statuses[-1] == "Sẵn sàng", statuses
    assert any(s.startswith("Đang tải lên") for s in statuses), statuses
    progress = [int(m.group(1)) for s in statuses if (m := re.fullmatch(r"Đang xử lý trang (\d+)/30", s))]
    assert any(0 < n < 30 for n in progress), statuses  # pages counted as they render, from the socket
    assert progress == sorted(progress), statuses
    assert len(set(statuses)) >= 3, statuses  # uploading, rendering, ready: the text changed as it went
    document_id = int(row.get_attribute("data-document-id"))
    document_row = secretary.locator(f"#document-{document_id}")
    assert document_row.get_attribute("data-status") == "ready"
    assert "30 trang" in document_row.inner_text() and "Sẵn sàng" in document_row.inner_text()
    assert document_row.locator("a.document-title").get_attribute("href") == f"{meeting_url}/documents/{document_id}"

    # A batch on the second item, marked Mật: one refused file (with the server's message), one accepted.
    secretary.select_option(f"#upload-confidentiality-{second_item_id}", "mat")
    secretary.set_input_files(f"#upload-input-{second_item_id}", files=[
        {"name": "ghi-chu.txt", "mimeType": "text/plain", "buffer": "Không phải PDF".encode()},
        {"name": "To_trinh_nhan_su.pdf", "mimeType": "application/pdf", "buffer": pdfs.agenda_pdf(4)}])
    secretary.wait_for_selector(f"#upload-list-{second_item_id} .upload-row.is-error")
    error = secretary.locator(f"#upload-list-{second_item_id} .upload-row.is-error").inner_text()
    assert "ghi-chu.txt" in error and "Không hỗ trợ loại tệp này" in error, error
    secretary.wait_for_selector(f"#upload-list-{second_item_id} .upload-row.is-done", timeout=60_000)
    secret_row = secretary.locator(f"#document-list-{second_item_id} .document-row").first
    assert secret_row.get_attribute("data-confidentiality") == "mat"
    assert secret_row.locator(".conf-badge").is_visible() and secret_row.locator(".conf-badge").text_content().strip() == "Mật"
    screenshot(secretary, "10-secretary-documents")

    # ---- a delegate reads it on a landscape tablet ----
    delegate = new_tablet()
    log_in(delegate, "daibieu_tl")
    delegate.goto(meeting_url)
    assert delegate.locator(".upload-zone").count() == 0 and delegate.locator(".remove-document").count() == 0
    delegate.click(f"#document-{document_id} a.document-title")
    delegate.wait_for_selector("#viewer[data-ready='true']")
    _wait_page(delegate, 1)
    assert delegate.inner_text("#page-count") == "30"
    assert delegate.locator("#thumb-strip .thumb").count() == 30
    delegate.wait_for_selector(f"#viewer-agenda .viewer-doc[data-document-id='{document_id}'].is-current")
    assert delegate.locator("#viewer-download").count() == 1  # an ordinary document in a meeting that allows it
    assert delegate.locator("#confidential-banner").count() == 0
    delegate.click("#page-next")
    _wait_page(delegate, 2)
    delegate.keyboard.press("ArrowRight")
    _wait_page(delegate, 3)
    delegate.keyboard.press("ArrowLeft")
    _wait_page(delegate, 2)
    with delegate.expect_response(lambda r: r.url.endswith("/reading") and r.request.method == "PUT"
                                  and json.loads(r.request.post_data or "{}").get("page") == 20):
        delegate.fill("#page-input", "20")
        delegate.press("#page-input", "Enter")
        _wait_page(delegate, 20)
    assert delegate.locator(".thumb.is-current").get_attribute("data-page") == "20"
    # The page box has the page's proportions (A4), so nothing jumps while images load.
    box = delegate.locator("#viewer-page").bounding_box()
    assert abs(box["height"] / box["width"] - 842 / 595) < 0.02, box
    screenshot(delegate, "11-viewer-landscape")

    # Zoom past 1.3×: the sharper image is swapped in.
    delegate.click("#zoom-in")
    delegate.wait_for_function("() => document.getElementById('page-image').src.endsWith('/hd')", timeout=20_000)
    delegate.keyboard.press("0")
    delegate.wait_for_function("() => document.getElementById('page-image').src.endsWith('/view')")

    # ---- the same document on a portrait tablet; the agenda slides over it ----
    portrait = new_tablet(800, 1280)
    log_in(portrait, "daibieu_tl")
    portrait.goto(f"{meeting_url}/documents/{document_id}?page=5")
    portrait.wait_for_selector("#viewer[data-ready='true']")
    _wait_page(portrait, 5)
    assert not portrait.locator("#viewer-sidebar").is_visible() or \
        portrait.locator("#viewer-sidebar").bounding_box()["x"] < -100
    assert portrait.evaluate("document.documentElement.scrollWidth") <= 800
    screenshot(portrait, "12-viewer-portrait")
    portrait.click("#sidebar-toggle")
    portrait.wait_for_function("() => document.getElementById('viewer-sidebar').getBoundingClientRect().x >= 0")
    portrait.wait_for_selector("#viewer-agenda .viewer-agenda-item")
    screenshot(portrait, "13-viewer-portrait-agenda")

    # ---- the secretary sees who has read it ----
    secretary.reload()
    secretary.wait_for_selector("#agenda[data-documents-ready='true']")
    secretary.click(f"#document-{document_id} .readers-toggle")
    reader = secretary.locator(f"#document-{document_id} .reader[data-username='daibieu_tl']")
    reader.locator(".reader-state").wait_for()
    assert "Hoàng Thị Mai" in reader.locator(".reader-name").inner_text()
    assert reader.locator(".reader-state").inner_text() == "Đã mở · đã đọc 67%"
    chair_row = secretary.locator(f"#document-{document_id} .reader[data-username='chutoa_tl'] .reader-state")
    assert chair_row.inner_text() == "Chưa mở"
    screenshot(secretary, "14-secretary-readers")
