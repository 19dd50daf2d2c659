"""Connection rows of a server process that stopped: forgotten at once when the process was on this machine (a restart),
after STALE_AFTER otherwise; never those of a process that still runs."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import RoomConnection, ServerInstance
from server.models.types import utcnow
from server.realtime import connections


def _instances(*ids, seen_ago=0):
    for instance in ids:
        db.session.add(ServerInstance(id=instance, seen_at=utcnow() - timedelta(seconds=seen_ago)))
        db.session.add(RoomConnection(sid=f"sid-{instance}", instance=instance))
    db.session.commit()


def test_rows_of_a_stopped_process_on_this_machine_go_at_once(ctx):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)  # a process that has just ended: its pid runs nothing now
    scope = connections.SCOPE
    previous = f"{scope}.{dead_pid:x}.0123456789"
    running = f"{scope}.1.0123456789"  # pid 1 always runs
    elsewhere = f"{'f' * 12}.{dead_pid:x}.0123456789"  # another machine or container: its pids mean nothing here
    old_format = "a" * 32
    _instances(previous, running, elsewhere, old_format)
    _instances(f"{'e' * 12}.2.0123456789", seen_ago=60)  # not seen for a minute, wherever it ran
    connections.heartbeat()
    left = set(db.session.scalars(sa.select(RoomConnection.instance)))
    assert left == {running, elsewhere, old_format}
    assert set(db.session.scalars(sa.select(ServerInstance.id))) == {running, elsewhere, old_format,
                                                                     connections.INSTANCE}
