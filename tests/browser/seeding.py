"""What several browser flows set up the same way: people and a meeting straight in the live server's database, the
CSRF token of a logged-in page, and an agenda PDF uploaded and rendered."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User
from tests import pdfs
from tests.conftest import _HASH, local_time


def seed_meeting(app, people: list[tuple[str, str, str, bool]], *, title: str, organization: str, location: str,
                 items: list[str], status: str = "in_progress") -> int:
    """people: (username, full name, role, can vote); an account is made once per username (the live server's
    database is shared by a session's tests), usernames starting with "thuky" may create meetings."""
    with app.app_context():
        ids = {}
        for username, name, _role, _vote in people:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            if user is None:
                user = User(username=username, full_name=name, password_hash=_HASH,
                            can_create_meetings=username.startswith("thuky"))
                db.session.add(user)
                db.session.flush()
            ids[username] = user.id
        meeting = Meeting(title=title, organization=organization, location=location, starts_at=local_time(),
                          status=status)
        meeting.items = [AgendaItem(position=i, title=t) for i, t in enumerate(items)]
        meeting.participants = [Participant(user_id=ids[u], role=role, can_vote=vote) for u, _n, role, vote in people]
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def csrf(page) -> str:
    return page.request.get("/api/v1/session").json()["csrf_token"]


def upload_ready_pdf(page, item_id: int, filename: str, pages: int) -> dict:
    """Uploads an agenda PDF of `pages` pages as the page's user and waits until it is rendered; the document."""
    doc = page.request.post(f"/api/v1/agenda-items/{item_id}/documents", headers={"X-CSRFToken": csrf(page)},
                            multipart={"file": {"name": filename, "mimeType": "application/pdf",
                                                "buffer": pdfs.agenda_pdf(pages)}}).json()
    for _ in range(300):
        if page.request.get(f"/api/v1/documents/{doc['id']}").json()["status"] == "ready":
            break
        page.wait_for_timeout(100)
    return doc
