"""Documents: upload checks (one crafted file per rule), rendering, page access, confidential pages, reading."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from server.documents import convert
from server.extensions import db
from server.models import Document, PageView
from tests import pdfs


@pytest.fixture
def meeting(make_meeting):
    mid, ids = make_meeting(status="published", people={"chair": "chair", "d1": "delegate", "d2": "delegate"})
    return mid, ids


@pytest.fixture
def secretary(client, meeting):
    client.login("secretary")
    return client


def _item(client, mid):
    return client.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"][0]["id"]


def upload(client, item_id, data: bytes, name="tai-lieu.pdf", **form):
    return client.post(f"/api/v1/agenda-items/{item_id}/documents",
                       data={"file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data")


def wait_ready(client, document_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = client.get(f"/api/v1/documents/{document_id}").get_json()
        if body["status"] != "processing":
            return body
        time.sleep(0.1)
    raise AssertionError(f"still processing: {body}")


def _nothing_kept(app):
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0
    root = Path(app.config["UPLOAD_FOLDER"])
    kept = [p for p in root.rglob("*") if p.is_file()]
    assert kept == [], kept


def test_upload_renders_every_page_in_two_sizes(app, secretary, meeting):
    mid, _ = meeting
    response = upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(5), title="Báo cáo KT-XH tháng 11")
    assert response.status_code == 202
    document = response.get_json()
    assert document["title"] == "Báo cáo KT-XH tháng 11" and document["page_count"] == 5
    assert document["status"] in ("processing", "ready")
    body = wait_ready(secretary, document["id"])
    assert body["status"] == "ready" and body["pages_ready"] == 5 and body["error"] is None
    page = body["pages"][0]
    thumb = secretary.get(page["thumb"])
    view = secretary.get(page["view"])
    assert thumb.mimetype == view.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.data)).width == 240
    assert Image.open(io.BytesIO(view.data)).size == (1600, 2262)  # A4 (595 × 842 pt) at 1,600 px wide
    assert "private" in view.headers["Cache-Control"] and "immutable" in view.headers["Cache-Control"]
    again = secretary.get(page["view"], headers={"If-None-Match": view.headers["ETag"]})
    assert again.status_code == 304


def test_the_same_file_is_kept_once(app, secretary, meeting):
    mid, _ = meeting
    data = pdfs.agenda_pdf(2)
    first = wait_ready(secretary, upload(secretary, _item(secretary, mid), data).get_json()["id"])
    second = upload(secretary, _item(secretary, mid), data, name="ban-sao.pdf").get_json()
    assert second["status"] == "ready"  # already rendered: nothing to do
    assert first["id"] != second["id"]
    blobs = [p for p in (Path(app.config["UPLOAD_FOLDER"]) / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert "tai-lieu" not in str(blobs[0]) and blobs[0].name == blobs[0].name.lower()


@pytest.mark.parametrize("data, name, code", [
    (b"<html><body>Not a PDF</body></html>", "tai-lieu.pdf", "unsupported_type"),
    (b"", "rong.pdf", "file_empty"),
    (pdfs.raw_pdf(count_pages=0), "khong-trang.pdf", "pdf_empty"),
    (pdfs.encrypted_pdf(), "mat-khau.pdf", "pdf_encrypted"),
    (pdfs.agenda_pdf(3)[:300], "cut.pdf", "pdf_unreadable"),
    (pdfs.raw_pdf(media_box="0 0 200000 200000"), "khong-lo.pdf", "pdf_page_size"),
    (pdfs.raw_pdf(media_box="0 0 10 5000"), "hep.pdf", "pdf_page_size"),
], ids=["html-named-pdf", "empty", "no-pages", "encrypted", "truncated", "impossible-page", "sliver-page"])
def test_bad_files_are_refused_clearly_and_nothing_is_kept(app, secretary, meeting, data, name, code):
    mid, _ = meeting
    response = upload(secretary, _item(secretary, mid), data, name=name, headers={"Accept-Language": "en"})
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code and len(error["message"]) > 10
    _nothing_kept(app)


def test_encrypted_pdf_message_tells_the_secretary_what_to_do(secretary, meeting):
    mid, _ = meeting
    error = upload(secretary, _item(secretary, mid), pdfs.encrypted_pdf()).get_json()["error"]
    assert "mật khẩu" in error["message"]


def test_oversized_file_is_refused(app, secretary, meeting):
    mid, _ = meeting
    app.config["DOCUMENT_MAX_MB"] = 1
    response = upload(secretary, _item(secretary, mid), b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "file_too_large"
    _nothing_kept(app)


def test_page_count_cap(app, secretary, meeting):
    mid, _ = meeting
    app.config["DOCUMENT_MAX_PAGES"] = 3
    response = upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(4, with_image=False))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "pdf_too_many_pages"
    _nothing_kept(app)


def test_giant_page_renders_within_the_pixel_budget(secretary, meeting):
    """A 1 KB PDF declaring a 14,400-point page: rendered at a bounded size, never a 1×1 image."""
    mid, _ = meeting
    data = pdfs.raw_pdf(media_box="0 0 14400 14400")
    assert len(data) < 1024
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), data).get_json()["id"])
    assert body["status"] == "ready"
    image = Image.open(io.BytesIO(secretary.get(body["pages"][0]["view"]).data))
    assert image.size == (1600, 1600)
    hd = Image.open(io.BytesIO(secretary.get(body["pages"][0]["hd"]).data))
    assert hd.width * hd.height <= 17_000_000 and hd.width > 1600


def test_damaged_pdf_that_poppler_can_read_is_accepted(secretary, meeting):
    mid, _ = meeting
    response = upload(secretary, _item(secretary, mid), pdfs.broken_xref_pdf())
    assert response.status_code == 202
    assert wait_ready(secretary, response.get_json()["id"])["status"] == "ready"


def test_scanned_image_becomes_a_one_page_document(secretary, meeting):
    mid, _ = meeting
    response = upload(secretary, _item(secretary, mid), pdfs.png_scan(), name="scan.png")
    assert response.status_code == 202
    body = wait_ready(secretary, response.get_json()["id"])
    assert body["page_count"] == 1 and body["status"] == "ready" and body["source_kind"] == "image"


def test_office_file_without_libreoffice_is_refused_saying_what_to_install(app, secretary, meeting, monkeypatch):
    mid, _ = meeting
    monkeypatch.setattr(convert, "soffice", lambda: None)  # as on a server without LibreOffice
    response = upload(secretary, _item(secretary, mid), pdfs.fake_docx(), name="to-trinh.docx")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "office_unsupported" and "LibreOffice" in error["message"]
    _nothing_kept(app)


def test_only_the_secretary_uploads(app, meeting, new_client):
    mid, _ = meeting
    chair = new_client()
    chair.login("chair")
    response = upload(chair, _item(chair, mid), pdfs.agenda_pdf(1))
    assert response.status_code == 403


def test_people_of_another_meeting_get_404_for_the_document_and_every_page(app, secretary, meeting, make_meeting,
                                                                         new_client):
    mid, _ = meeting
    make_meeting(status="published", secretary="other_secretary", people={"outsider": "delegate"})
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(2)).get_json()["id"])
    outsider = new_client()
    outsider.login("outsider")
    assert outsider.get(f"/api/v1/documents/{body['id']}").status_code == 404
    assert outsider.get(f"/api/v1/document-versions/{body['version_id']}").status_code == 404
    assert outsider.get(f"/api/v1/documents/{body['id']}/file").status_code == 404
    for page in body["pages"]:
        for kind in ("thumb", "view", "hd"):
            assert outsider.get(page[kind]).status_code == 404
    anonymous = new_client()
    assert anonymous.get(body["pages"][0]["view"]).status_code == 401


def test_confidential_pages_carry_the_viewers_name_are_logged_and_never_downloaded(app, secretary, meeting,
                                                                                   new_client, monkeypatch):
    from datetime import datetime, timezone

    from server.documents import storage, watermark
    from server.models import DocumentVersion
    mid, ids = meeting
    moment = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)
    monkeypatch.setattr("server.documents.service.utcnow", lambda: moment)
    response = upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(2), confidentiality="mat")
    body = wait_ready(secretary, response.get_json()["id"])
    assert body["confidentiality"] == "mat" and body["downloadable"] is False and body["download_url"] is None
    images = {}
    for name in ("d1", "d2"):
        tablet = new_client()
        tablet.login(name)
        page = tablet.get(body["pages"][0]["view"])
        assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
        assert "ETag" not in page.headers
        images[name] = Image.open(io.BytesIO(page.data)).convert("RGB")
        assert tablet.get(f"/api/v1/documents/{body['id']}/file").status_code == 403
    # The band at the top is drawn in red ink, and each viewer's page differs (their own name on it).
    band = images["d1"].crop((0, 0, 1600, 60))
    reds = sum(1 for r, g, b in band.getdata() if r > 150 and g < 80 and b < 80)
    assert reds > 200
    assert images["d1"].tobytes() != images["d2"].tobytes()
    # Exactly the page stamped with D1's name, the time and the meeting (as the Vietnamese reader sees it).
    with app.app_context():
        version = db.session.get(DocumentVersion, body["version_id"])
        expected = watermark.stamp(storage.page_path(version.sha256, 1, "view"), viewer="D1",
                                   meeting="Phiên họp thường kỳ tháng 11", level="Mật", at=moment)
    assert Image.open(io.BytesIO(expected)).convert("RGB").tobytes() == images["d1"].tobytes()
    with app.app_context():
        views = db.session.scalars(sa.select(PageView)).all()
        assert {(v.user_id, v.page, v.size) for v in views} == {(ids["d1"], 1, "view"), (ids["d2"], 1, "view")}


def test_ordinary_documents_download_as_pdf_unless_the_meeting_forbids_it(app, secretary, meeting, new_client):
    mid, _ = meeting
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(1)).get_json()["id"])
    d1 = new_client()
    d1.login("d1")
    response = d1.get(body["download_url"])
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    secretary.patch(f"/api/v1/meetings/{mid}", json={"allow_downloads": False})
    response = d1.get(body["download_url"])
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "downloads_off"


def test_replacing_keeps_the_old_version_reachable(app, secretary, meeting):
    mid, _ = meeting
    first = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(2)).get_json()["id"])
    response = secretary.post(f"/api/v1/documents/{first['id']}/versions",
                              data={"file": (io.BytesIO(pdfs.agenda_pdf(3, title="Ban sua")), "v2.pdf")},
                              content_type="multipart/form-data")
    assert response.status_code == 202
    second = wait_ready(secretary, first["id"])
    assert second["version_number"] == 2 and second["page_count"] == 3
    assert [v["number"] for v in second["versions"]] == [1, 2]
    old = secretary.get(f"/api/v1/document-versions/{first['version_id']}").get_json()
    assert old["page_count"] == 2 and secretary.get(old["pages"][1]["view"]).status_code == 200


def test_reading_is_tracked_for_the_secretary_and_chair(app, secretary, meeting, new_client):
    mid, ids = meeting
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(4)).get_json()["id"])
    d1 = new_client()
    d1.login("d1")
    for page in (1, 2, 3, 2):
        assert d1.put(f"/api/v1/documents/{body['id']}/reading", json={"page": page}).status_code == 200
    assert d1.put(f"/api/v1/documents/{body['id']}/reading", json={"page": 99}).status_code == 400
    assert d1.get(f"/api/v1/documents/{body['id']}/readers").status_code == 403
    report = secretary.get(f"/api/v1/documents/{body['id']}/readers").get_json()
    rows = {r["user"]["username"]: r for r in report["readers"]}
    assert rows["d1"]["opened"] and rows["d1"]["max_page"] == 3 and rows["d1"]["percent"] == 75
    assert not rows["d2"]["opened"] and rows["d2"]["percent"] == 0


def test_progress_reaches_the_secretarys_socket(app, secretary, meeting):
    from server.extensions import socketio
    mid, _ = meeting
    sock = socketio.test_client(app, flask_test_client=secretary)
    assert sock.is_connected()
    document = upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(12, with_image=False)).get_json()
    wait_ready(secretary, document["id"])
    progress = [m["args"][0] for m in sock.get_received() if m["name"] == "document_progress"]
    assert progress and progress[-1]["status"] == "ready" and progress[-1]["pages_ready"] == 12
    counts = [p["pages_ready"] for p in progress]
    assert counts == sorted(counts) and counts[0] < 12  # "page 1 of 12" first, then more


def test_a_document_left_processing_is_resumed_at_start_up(app, secretary, meeting):
    from server.documents import jobs, storage
    from server.models import DocumentVersion
    mid, _ = meeting
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(3)).get_json()["id"])
    with app.app_context():
        version = db.session.get(DocumentVersion, body["version_id"])
        version.status, version.pages_ready = "processing", 1
        db.session.commit()
        # As if the server died after page 1: the later pages are gone.
        for n in (2, 3):
            storage.page_path(version.sha256, n, "view").unlink()
    assert jobs.resume_all(app) == 1
    resumed = wait_ready(secretary, body["id"])
    assert resumed["status"] == "ready" and all(p["ready"] for p in resumed["pages"])


@pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice is not installed (make test installs it as root)")
def test_office_document_is_converted_with_libreoffice(app, secretary, meeting, tmp_path):
    import subprocess
    mid, _ = meeting
    source = tmp_path / "to-trinh.html"
    source.write_text("<html><body><h1>Tờ trình dự toán ngân sách</h1>" + "<p>Nội dung.</p>" * 20
                      + "</body></html>", encoding="utf-8")
    subprocess.run([convert.soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    data = (tmp_path / "to-trinh.docx").read_bytes()
    response = upload(secretary, _item(secretary, mid), data, name="to-trinh.docx")
    assert response.status_code == 202, response.get_json()
    body = wait_ready(secretary, response.get_json()["id"])
    assert body["status"] == "ready" and body["source_kind"] == "office" and body["page_count"] >= 1


def test_rendering_past_its_time_limit_fails_clearly_instead_of_hanging(app, secretary, meeting):
    mid, _ = meeting
    app.config["RENDER_TIMEOUT_PER_PAGE"] = 0.001
    body = wait_ready(secretary, upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(3)).get_json()["id"])
    assert body["status"] == "failed"
    assert body["error"]["code"] == "render_failed" and "PDF" in body["error"]["message"]


def test_poppler_runs_under_a_memory_cap(app, secretary, meeting):
    mid, _ = meeting
    app.config["RENDER_MEMORY_MB"] = 4  # too little for poppler even to start: refused, nothing kept
    response = upload(secretary, _item(secretary, mid), pdfs.agenda_pdf(1))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "pdf_unreadable"
    _nothing_kept(app)
