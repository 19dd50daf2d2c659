"""kill -9 of the server in the middle of a burst of ballots: after the restart, every acknowledged ballot is there,
and the counts agree with the receipts."""
from __future__ import annotations

import threading
import time
import uuid

import requests
import sqlalchemy as sa
from flask_migrate import upgrade

from server.extensions import db
from server.models import (AgendaItem, Attendance, Meeting, Participant, User, Vote, VoteOption, VoteReceipt,
                           VoteTally)
from tests.conftest import _HASH, PASSWORD, local_time, make_app
from tests.server_process import ServerProcess

VOTERS = 30


def _seed(app) -> tuple[int, int]:
    with app.app_context():
        upgrade()
        meeting = Meeting(title="Kỳ họp", organization="HĐND", starts_at=local_time(), status="in_progress")
        meeting.items = [AgendaItem(position=0, title="Nghị quyết")]
        chair = User(username="chutich", full_name="Chủ tịch", password_hash=_HASH)
        meeting.participants = [Participant(user=chair, role="chair", can_vote=True)] + [
            Participant(user=User(username=f"db{i}", full_name=f"Đại biểu {i}", password_hash=_HASH),
                        role="delegate", can_vote=True) for i in range(VOTERS)]
        db.session.add(meeting)
        db.session.flush()
        db.session.add_all([Attendance(meeting_id=meeting.id, participant_id=p.id, status="present")
                            for p in meeting.participants])
        vote = Vote(meeting_id=meeting.id, question="Thông qua nghị quyết?", kind="yes_no", rule="members",
                    options=[VoteOption(position=i, code=c, label=c) for i, c in enumerate(("yes", "no", "abstain"))])
        db.session.add(vote)
        db.session.commit()
        return meeting.id, vote.id


def test_every_acknowledged_ballot_survives_kill_9(tmp_path):
    url = f"sqlite:///{tmp_path / 'votes.sqlite3'}"
    app = make_app(url, tmp_path)
    meeting_id, vote_id = _seed(app)
    server = ServerProcess(tmp_path, url).start()
    try:
        chair = requests.Session()
        token = chair.post(f"{server.url}/api/v1/session",
                           json={"username": "chutich", "password": PASSWORD}).json()["csrf_token"]
        opened = chair.post(f"{server.url}/api/v1/votes/{vote_id}/open", headers={"X-CSRFToken": token}).json()
        options = [o["id"] for o in opened["options"]]
        voters = []
        for i in range(VOTERS):
            http = requests.Session()
            csrf = http.post(f"{server.url}/api/v1/session",
                             json={"username": f"db{i}", "password": PASSWORD}).json()["csrf_token"]
            voters.append((http, csrf, str(uuid.uuid4()), options[i % 3]))
        acknowledged, lock, go = [], threading.Lock(), threading.Event()

        def vote(http, csrf, ballot_id, choice):
            go.wait()
            try:
                response = http.post(f"{server.url}/api/v1/votes/{vote_id}/ballots", timeout=10,
                                     json={"ballot_id": ballot_id, "choices": [choice]},
                                     headers={"X-CSRFToken": csrf})
            except requests.RequestException:
                return  # the server died before answering: not acknowledged, may or may not be stored
            if response.status_code in (200, 201):
                with lock:
                    acknowledged.append(ballot_id)

        threads = [threading.Thread(target=vote, args=voter) for voter in voters]
        for thread in threads:
            thread.start()
        go.set()
        deadline = time.time() + 20
        while time.time() < deadline and len(acknowledged) < VOTERS // 3:
            time.sleep(0.002)
        server.kill()  # mid-burst
        for thread in threads:
            thread.join(timeout=15)
        assert acknowledged, "no ballot was acknowledged before the kill"
        print(f"acknowledged before kill: {len(acknowledged)} of {VOTERS}")

        server.start()
        with app.app_context():
            stored = set(db.session.scalars(sa.select(VoteReceipt.ballot_id).where(VoteReceipt.vote_id == vote_id)))
            total = db.session.scalar(sa.select(sa.func.sum(VoteTally.count)).where(VoteTally.vote_id == vote_id))
        assert set(acknowledged) <= stored, f"lost: {set(acknowledged) - stored}"
        assert total == len(stored)  # the counts agree with the receipts: nothing half-written
        # Tablets resend what was not acknowledged: each is counted once, and nobody twice.
        for http, csrf, ballot_id, choice in voters:
            response = http.post(f"{server.url}/api/v1/votes/{vote_id}/ballots",
                                 json={"ballot_id": ballot_id, "choices": [choice]}, headers={"X-CSRFToken": csrf})
            assert response.status_code in (200, 201), response.text
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteReceipt)) == VOTERS
            assert db.session.scalar(sa.select(sa.func.sum(VoteTally.count))) == VOTERS
    finally:
        server.stop()
