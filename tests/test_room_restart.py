"""Against a real server on a real port with python-socketio clients: after kill -9 and a restart, every tablet is
back in the room with the current document and page within 10 seconds."""
from __future__ import annotations

import threading
import time

import requests
import socketio
from flask_migrate import upgrade

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.conftest import _HASH, PASSWORD, local_time, make_app
from tests.server_process import ServerProcess


class Tablet:
    """A tablet as a client program would write it from docs/PROTOCOL.md: join on every (re)connect, apply deltas."""

    def __init__(self, url: str, username: str, meeting_id: int):
        self.http = requests.Session()
        assert self.http.post(f"{url}/api/v1/session", json={"username": username, "password": PASSWORD}).ok
        self.meeting_id = meeting_id
        self.state = None
        self.joined = threading.Event()
        self.sio = socketio.Client(http_session=self.http, reconnection=True, reconnection_delay=0.2,
                                   reconnection_delay_max=1)
        self.sio.on("connect", self._on_connect)
        self.sio.on("room", self._on_delta)
        self.url = url

    def _on_connect(self):
        self.joined.clear()
        # Acknowledgements cannot be awaited inside a handler: ask in the background.
        self.sio.start_background_task(self._join)

    def _join(self):
        ack = self.sio.call("join", {"meeting_id": self.meeting_id}, timeout=10)
        if ack and ack["ok"]:
            self.state = ack["snapshot"]
            self.joined.set()

    def _on_delta(self, delta):
        if self.state and delta["seq"] == self.state["seq"] + 1 and delta["type"] == "presentation":
            self.state["presentation"].update({k: v for k, v in delta["data"].items() if k != "item"})
            self.state["seq"] = delta["seq"]

    def start(self):
        self.sio.connect(self.url, transports=["websocket"], wait_timeout=10)
        assert self.joined.wait(10)
        return self


def _seed(app) -> tuple[int, int]:
    with app.app_context():
        upgrade()
        people = {name: User(username=name, full_name=name.title(), password_hash=_HASH)
                  for name in ("thuky", "chutich", "d1", "d2")}
        meeting = Meeting(title="Họp", organization="UBND", starts_at=local_time(), status="in_progress")
        meeting.items = [AgendaItem(position=0, title="Báo cáo")]
        meeting.participants = [Participant(user=people["thuky"], role="secretary"),
                                Participant(user=people["chutich"], role="chair", can_vote=True),
                                Participant(user=people["d1"], role="delegate", can_vote=True),
                                Participant(user=people["d2"], role="delegate", can_vote=True)]
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, meeting.items[0].id


def test_every_tablet_is_back_in_the_room_after_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'room.sqlite3'}"
    meeting_id, item_id = _seed(make_app(url, tmp_path, UPLOAD_FOLDER=str(tmp_path / "uploads")))
    server = ServerProcess(tmp_path, url).start()
    tablets = []
    try:
        secretary = requests.Session()
        token = secretary.post(f"{server.url}/api/v1/session",
                               json={"username": "thuky", "password": PASSWORD}).json()["csrf_token"]
        document = secretary.post(f"{server.url}/api/v1/agenda-items/{item_id}/documents",
                                  files={"file": ("a.pdf", pdfs.agenda_pdf(6), "application/pdf")},
                                  headers={"X-CSRFToken": token}).json()
        for _ in range(200):
            if secretary.get(f"{server.url}/api/v1/documents/{document['id']}").json()["status"] == "ready":
                break
            time.sleep(0.1)
        chair = Tablet(server.url, "chutich", meeting_id).start()
        tablets = [chair] + [Tablet(server.url, name, meeting_id).start() for name in ("d1", "d2")]
        ack = chair.sio.call("present", {"meeting_id": meeting_id, "document_id": document["id"], "page": 3})
        assert ack["ok"], ack
        deadline = time.time() + 5
        while time.time() < deadline and any(t.state["presentation"]["page"] != 3 for t in tablets):
            time.sleep(0.05)
        assert all(t.state["presentation"]["page"] == 3 for t in tablets)

        server.kill()
        for tablet in tablets:
            tablet.joined.clear()
            tablet.state = None
        restarted_at = time.time()
        server.start()
        for tablet in tablets:
            assert tablet.joined.wait(max(0.1, restarted_at + 10 - time.time())), "not back within 10 s"
        back_after = time.time() - restarted_at
        for tablet in tablets:
            presentation = tablet.state["presentation"]
            assert presentation["presenting"] and presentation["document_id"] == document["id"]
            assert presentation["page"] == 3
        assert back_after < 10
    finally:
        for tablet in tablets:
            tablet.sio.disconnect()
        server.stop()
