"""The quorum rule, in one place: the room's attendance bar and the refusal to open a vote must never disagree."""
from __future__ import annotations

from server.models import Meeting


def counted(meeting: Meeting) -> tuple[str, ...]:
    """Attendance statuses that count towards quorum (and make a member eligible to vote)."""
    return ("present", "online") if meeting.online_counts else ("present",)


def required(meeting: Meeting, voting_members: int) -> int:
    """More than quorum_percent of the voting members (0 when the meeting has none)."""
    return voting_members * meeting.quorum_percent // 100 + 1 if voting_members else 0
