"""Who may do what: plain boolean functions of (user, thing). Services turn a False into NotFound or Forbidden."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, Participant, User


def participation(user: User | None, meeting: Meeting) -> Participant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Participant).where(Participant.meeting_id == meeting.id, Participant.user_id == user.id)
    )


def role_in(user: User | None, meeting: Meeting) -> str | None:
    p = participation(user, meeting)
    return p.role if p else None


def can_view_meeting(user: User | None, meeting: Meeting) -> bool:
    """Invited people see a meeting once it is published; while a draft, only its secretaries do."""
    role = role_in(user, meeting)
    if role is None:
        return False
    return meeting.status != "draft" or role == "secretary"


def can_edit_meeting(user: User | None, meeting: Meeting) -> bool:
    """Agenda, sites and participants: the meeting's secretaries, until the meeting is closed."""
    return role_in(user, meeting) == "secretary" and meeting.status != "closed"


def can_set_status(user: User | None, meeting: Meeting, status: str) -> bool:
    role = role_in(user, meeting)
    if status in ("published", "draft"):
        return role == "secretary"
    # Running the meeting: the chair, or the secretary on the chair's behalf.
    return role in ("chair", "secretary")


def can_create_meeting(user: User | None) -> bool:
    return bool(user and user.is_authenticated and (user.can_create_meetings or user.is_admin))


def can_manage_users(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)
