"""A server killed (SIGKILL) while rendering finishes the document after it restarts: never stuck "processing"."""
from __future__ import annotations

import time

import requests
from flask_migrate import upgrade

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.conftest import _HASH, PASSWORD, local_time, make_app
from tests.server_process import ServerProcess


def _seed(app) -> int:
    with app.app_context():
        upgrade()
        user = User(username="thuky", full_name="Thư ký", password_hash=_HASH, can_create_meetings=True)
        meeting = Meeting(title="Họp", organization="UBND", starts_at=local_time(), status="published")
        meeting.items = [AgendaItem(position=0, title="Báo cáo")]
        meeting.participants = [Participant(user=user, role="secretary")]
        db.session.add(meeting)
        db.session.commit()
        return meeting.items[0].id


def test_rendering_resumes_after_kill_9(tmp_path):
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    item_id = _seed(make_app(url, tmp_path, UPLOAD_FOLDER=str(tmp_path / "uploads")))
    # One worker and small chunks, so that the kill lands in the middle.
    server = ServerProcess(tmp_path, url, RENDER_WORKERS="1", RENDER_CHUNK_PAGES="2").start()
    try:
        session = requests.Session()
        token = session.post(f"{server.url}/api/v1/session",
                             json={"username": "thuky", "password": PASSWORD}).json()["csrf_token"]
        response = session.post(f"{server.url}/api/v1/agenda-items/{item_id}/documents",
                                files={"file": ("dai.pdf", pdfs.agenda_pdf(60), "application/pdf")},
                                headers={"X-CSRFToken": token}, timeout=60)
        assert response.status_code == 202, response.text
        document_id = response.json()["id"]
        deadline = time.time() + 60
        while time.time() < deadline:
            body = session.get(f"{server.url}/api/v1/documents/{document_id}").json()
            if body["pages_ready"] >= 2:
                break
            time.sleep(0.05)
        assert 2 <= body["pages_ready"] < 60, body["pages_ready"]
        server.kill()

        server.start()
        session = requests.Session()
        session.post(f"{server.url}/api/v1/session", json={"username": "thuky", "password": PASSWORD})
        deadline = time.time() + 120
        while time.time() < deadline:
            body = session.get(f"{server.url}/api/v1/documents/{document_id}").json()
            if body["status"] != "processing":
                break
            time.sleep(0.2)
        assert body["status"] == "ready" and body["pages_ready"] == 60
        assert all(p["ready"] for p in body["pages"])
        last = session.get(server.url + body["pages"][-1]["view"])
        assert last.status_code == 200 and last.headers["Content-Type"] == "image/jpeg"
    finally:
        server.stop()
