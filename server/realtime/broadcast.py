"""Room names and publish(): the one way services push an event to the tablets, always after their commit."""
from __future__ import annotations

import logging

from server.extensions import socketio

log = logging.getLogger(__name__)


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def organisers_room(meeting_id: int) -> str:
    """The chair's and secretaries' consoles: who is connected, and other things only they see."""
    return f"meeting:{meeting_id}:organisers"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def publish(meeting_id: int, event: str, payload: dict) -> None:
    try:
        socketio.emit(event, payload, to=meeting_room(meeting_id))
    except Exception:  # a broken push must never undo or fail a committed change
        log.exception("could not publish %s to meeting %s", event, meeting_id)
