"""Which sockets are live, whose they are and where: in the database, so every server process sees them, and so that
logging out, a disabled account or a removal from a meeting can close that person's sockets at once."""
from __future__ import annotations

import hashlib
import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from server.extensions import db, socketio
from server.models import RoomConnection, ServerInstance
from server.models.types import utcnow
from server.realtime.broadcast import organisers_room

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=45)


def _pid_scope() -> str:
    """Where a process id means one process: this boot of this machine and this PID namespace (one per container).
    Two processes with the same scope can tell from the pid alone whether the other still runs."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:  # not Linux: no scope, rows of a stopped process are forgotten after STALE_AFTER only
        return uuid.uuid4().hex[:12]
    return hashlib.sha256(f"{boot}:{namespace}".encode()).hexdigest()[:12]


SCOPE = _pid_scope()
# This server process: its scope and pid (so a restarted server, or a sibling on the same machine, can see at once
# that the process behind rows has stopped), then a random part (pids are reused). At most 32 characters.
INSTANCE = f"{SCOPE}.{os.getpid():x}.{uuid.uuid4().hex[:10]}"


def _stopped(instance: str) -> bool:
    """True only when certain: an instance of this scope whose process no longer runs."""
    scope, _, rest = instance.partition(".")
    pid_hex = rest.partition(".")[0]
    if scope != SCOPE or instance == INSTANCE or not pid_hex:
        return False
    try:
        pid = int(pid_hex, 16)
    except ValueError:
        return False
    if pid == os.getpid():
        return True  # our own pid, another instance: our previous incarnation (e.g. a restarted container's server)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, someone else's
        return False
    return False  # runs (or the pid was reused): left to STALE_AFTER


def register(sid: str, *, user_id: int | None, login_session_id: str | None, wall_token_id: int | None) -> None:
    db.session.merge(RoomConnection(sid=sid, instance=INSTANCE, user_id=user_id, login_session_id=login_session_id,
                                    wall_token_id=wall_token_id))
    db.session.commit()


def enter(sid: str, meeting_id: int | None) -> None:
    """The socket is now in this meeting (None: in none)."""
    row = db.session.get(RoomConnection, sid)
    if row is None or row.meeting_id == meeting_id:
        return
    before, user_id = row.meeting_id, row.user_id  # read before the commit expires the row
    row.meeting_id = meeting_id
    db.session.commit()
    if user_id:
        if before:
            _presence(before, user_id)
        if meeting_id:
            _presence(meeting_id, user_id, connected=True)  # this very socket is in it: no need to count


def forget(sid: str) -> None:
    row = db.session.get(RoomConnection, sid)
    if row is None:
        return
    meeting_id, user_id = row.meeting_id, row.user_id
    db.session.delete(row)
    db.session.commit()
    if meeting_id and user_id:
        _presence(meeting_id, user_id)


def connected_users(meeting_id: int) -> list[int]:
    return sorted(set(db.session.scalars(sa.select(RoomConnection.user_id).where(
        RoomConnection.meeting_id == meeting_id, RoomConnection.user_id.is_not(None)))))


def _presence(meeting_id: int, user_id: int, connected: bool | None = None) -> None:
    """Connected or not goes to the chair's and secretary's consoles only: a thousand tablets need not hear it."""
    if connected is None:  # another socket of the same person may still be in the meeting
        connected = db.session.scalar(sa.select(sa.func.count()).select_from(RoomConnection).where(
            RoomConnection.meeting_id == meeting_id, RoomConnection.user_id == user_id)) > 0
    socketio.emit("presence", {"meeting_id": meeting_id, "user_id": user_id, "connected": connected},
                  to=organisers_room(meeting_id))


def _close(rows) -> int:
    count = 0
    for row in rows:
        try:
            socketio.server.disconnect(row.sid, namespace="/")
        except Exception:  # already gone, or held by a process that stopped
            log.debug("could not disconnect %s", row.sid)
        count += 1
    return count


def close_login_session(login_session_id: str) -> int:
    """After logout: every socket opened under that login."""
    return _close(list(db.session.scalars(
        sa.select(RoomConnection).where(RoomConnection.login_session_id == login_session_id))))


def close_user(user_id: int, meeting_id: int | None = None) -> int:
    """A disabled account (every meeting), or a person removed from one meeting."""
    query = sa.select(RoomConnection).where(RoomConnection.user_id == user_id)
    if meeting_id is not None:
        query = query.where(RoomConnection.meeting_id == meeting_id)
    return _close(list(db.session.scalars(query)))


def close_wall_token(wall_token_id: int) -> int:
    return _close(list(db.session.scalars(
        sa.select(RoomConnection).where(RoomConnection.wall_token_id == wall_token_id))))


def heartbeat() -> None:
    """Marks this process alive and forgets the connections of processes that stopped (a crash leaves rows)."""
    now = utcnow()
    db.session.merge(ServerInstance(id=INSTANCE, seen_at=now))
    # Not seen for a while, or (at once, without waiting STALE_AFTER) a process of this machine that has stopped:
    # after a restart the tablets reconnect within seconds and must not be shown twice meanwhile.
    stale = [row.id for row in db.session.execute(sa.select(ServerInstance.id, ServerInstance.seen_at))
             if row.seen_at < now - STALE_AFTER or _stopped(row.id)]
    if stale:
        db.session.execute(sa.delete(RoomConnection).where(RoomConnection.instance.in_(stale)))
        db.session.execute(sa.delete(ServerInstance).where(ServerInstance.id.in_(stale)))
    # Rows of no known process at all (e.g. from before a restart of a single-process server).
    known = sa.select(ServerInstance.id)
    db.session.execute(sa.delete(RoomConnection).where(RoomConnection.instance.not_in(known),
                                                       RoomConnection.instance != INSTANCE))
    db.session.commit()


def keep_alive(app, every: float = 15.0) -> None:
    """Background task of a serving process."""
    while True:
        with app.app_context():
            try:
                heartbeat()
            except Exception:
                log.exception("heartbeat failed")
                db.session.rollback()
        socketio.sleep(every)
