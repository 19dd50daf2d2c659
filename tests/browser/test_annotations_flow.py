"""In a real browser: a delegate draws on a page with the mouse, it is still there after a reload; shared, another
delegate sees it appear live; undo removes it there too. A note is written and read back."""
from __future__ import annotations

import base64

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.browser.conftest import screenshot
from tests.browser.test_secretary_flow import log_in
from tests.conftest import _HASH, local_time

UPLOAD = """async ([item, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const form = new FormData();
  form.append("file", new Blob([bytes], {type: "application/pdf"}), "Bao_cao.pdf");
  const r = await fetch(`/api/v1/agenda-items/${item}/documents`, {method: "POST", body: form,
    headers: {"X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content}});
  return (await r.json()).id;
}"""
INKED = """() => { const c = document.querySelector('#annotation-layer canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


def _seed(app):
    with app.app_context():
        ids = {}
        for username, name in (("thuky_an", "Nguyễn Văn Bình"), ("daibieu_a", "Hoàng Thị Mai"),
                               ("daibieu_b", "Trần Văn Nam")):
            user = User(username=username, full_name=name, password_hash=_HASH, can_create_meetings=username == "thuky_an")
            db.session.add(user)
            db.session.flush()
            ids[username] = user.id
        meeting = Meeting(title="Phiên họp thường kỳ", organization="UBND xã", location="Phòng họp",
                          starts_at=local_time(), status="in_progress")
        meeting.items = [AgendaItem(position=0, title="Báo cáo kinh tế – xã hội")]
        meeting.participants = [Participant(user_id=ids["thuky_an"], role="secretary", can_vote=False),
                                Participant(user_id=ids["daibieu_a"], role="delegate", can_vote=True),
                                Participant(user_id=ids["daibieu_b"], role="delegate", can_vote=True)]
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, meeting.items[0].id


def _open(page, url):
    page.goto(url)
    page.wait_for_selector("#viewer[data-ready='true']")
    page.wait_for_selector("#viewer-page[data-page='1']")
    page.wait_for_function("() => { const img = document.getElementById('page-image');"
                           " return !img.hidden && img.complete && img.naturalWidth > 0; }")
    page.wait_for_selector("#annotation-layer[data-loaded='true']")
    page.wait_for_selector("#annotate-toolbar[data-ready='true']")


def _count(page, n):
    page.wait_for_selector(f"#annotation-layer[data-count='{n}']", timeout=10_000)


def test_draw_reload_share_live_undo_and_a_note(live_server, new_tablet):
    _, app = live_server
    meeting_id, item_id = _seed(app)
    secretary = new_tablet()
    log_in(secretary, "thuky_an")
    secretary.goto(f"/meetings/{meeting_id}")
    document_id = secretary.evaluate(UPLOAD, [item_id, base64.b64encode(pdfs.agenda_pdf(3)).decode()])
    secretary.wait_for_function(f"""async () => (await (await fetch('/api/v1/documents/{document_id}')).json())
                                    .status === 'ready'""", timeout=60_000, polling=300)
    url = f"/meetings/{meeting_id}/documents/{document_id}?page=1"

    a = new_tablet()
    log_in(a, "daibieu_a")
    _open(a, url)
    assert a.locator("#annotate-copy").is_visible()  # not confidential
    _count(a, 0)
    a.click("#annotate-pen")
    assert a.get_attribute("#annotate-pen", "aria-pressed") == "true"
    box = a.locator("#annotation-layer canvas").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.2, box["y"] + 120
    a.mouse.move(x0, y0)
    a.mouse.down()
    for i in range(1, 30):
        a.mouse.move(x0 + i * 12, y0 + 40 * (i % 5) / 5)
    a.mouse.up()
    _count(a, 1)
    version_id = a.evaluate(f"async () => (await (await fetch('/api/v1/documents/{document_id}')).json()).version_id")
    api = f"async () => (await (await fetch('/api/v1/document-versions/{version_id}/annotations')).json()).annotations"
    a.wait_for_function(f"async () => (await ({api})()).length === 1", polling=200)
    saved = a.evaluate(api)[0]
    assert saved["kind"] == "ink" and saved["page"] == 1 and saved["shared"] is False
    assert all(0 <= p[0] <= 1 and 0 <= p[1] <= 1 and p[2] == 0.5 for p in saved["points"])

    a.reload()
    _open(a, url)
    _count(a, 1)
    assert a.evaluate(INKED) > 100

    b = new_tablet()
    log_in(b, "daibieu_b")
    _open(b, url)
    _count(b, 0)  # private until shared
    b.wait_for_timeout(500)  # its socket has joined the meeting's room
    a.click("#annotate-share")
    a.wait_for_selector("#annotate-share[aria-pressed='true']")
    _count(b, 1)  # live, without a reload
    assert b.evaluate(INKED) > 100

    # A second stroke, shared like the others now; undo takes it away on B's screen too.
    a.click("#annotate-highlighter")
    a.mouse.move(box["x"] + box["width"] * 0.15, y0 + 160)
    a.mouse.down()
    a.mouse.move(box["x"] + box["width"] * 0.55, y0 + 160, steps=15)
    a.mouse.up()
    _count(b, 2)
    a.click("#annotate-undo")
    _count(a, 1)
    _count(b, 1)
    a.click("#annotate-redo")
    _count(b, 2)

    # A note: tap with the note tool, write, save; B reads it with A's name.
    a.click("#annotate-note")
    a.mouse.click(box["x"] + box["width"] * 0.7, y0 + 60)
    a.fill("#annotate-note-text", "Đề nghị làm rõ số liệu thu ngân sách")
    a.click(".annotate-note-save")
    _count(a, 3)
    _count(b, 3)
    a.click("#annotate-note")  # tool off: touches go to the viewer again
    screenshot(a, "40-annotations-author")
    b.click(".annotation-note")
    b.wait_for_selector("#annotate-popover:not([hidden])")
    text = b.inner_text("#annotate-popover")
    assert "Hoàng Thị Mai" in text and "Đề nghị làm rõ" in text
    assert b.locator("#annotate-note-text").count() == 0  # someone else's: read only
    screenshot(b, "41-annotations-shared-note")
