"""What one page turn and one join cost the database, counted statement by statement: a room of 500 tablets waits
for every one of them before the first frame leaves (docs/PERFORMANCE.md, page sync fan-out)."""
from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from server.extensions import db
from tests.test_room import _upload, join, room  # noqa: F401  (room is a fixture)


@contextmanager
def statements(app):
    """Every statement sent to the database meanwhile; COMMIT (which bypasses the cursor) is listed as "COMMIT"."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split())[:100])

    def commit(conn):
        seen.append("COMMIT")

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    sa.event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        sa.event.remove(engine, "commit", commit)


def _writes(seen):
    return [s for s in seen if s.split()[0] in ("UPDATE", "INSERT", "DELETE")]


def test_a_page_turn_costs_a_handful_of_statements(app, room):
    mid, ids, connect = room
    secretary_http, _ = connect("secretary")
    document_id, _ = _upload(app, secretary_http, mid)
    _, chair = connect("chair")
    _, d1 = connect("d1")
    join(chair, mid)
    join(d1, mid)
    present = {"meeting_id": mid, "document_id": document_id, "page": 1}
    assert chair.emit("present", present, callback=True)["ok"]
    with statements(app) as seen:
        ack = chair.emit("present", {**present, "page": 2}, callback=True)
    assert ack["ok"]
    print(f"\npresent: {len(seen)} statements", *seen, sep="\n  ")
    # The caller's role with the meeting and the room state (1), the document with its item and current version (1),
    # one UPDATE ... RETURNING of the state, COMMIT (the socket keeps its user from connect). Before: 15.
    assert len(seen) <= 4, seen
    assert seen.count("COMMIT") == 1 and len(_writes(seen)) == 1


def test_a_join_commits_once(app, room):
    mid, ids, connect = room
    _, chair = connect("chair")
    join(chair, mid)  # the state row exists from here on
    _, d1 = connect("d1")
    with statements(app) as seen:
        ack = join(d1, mid)
    assert ack["ok"]
    print(f"\njoin: {len(seen)} statements", *seen, sep="\n  ")
    writes = _writes(seen)
    assert len(writes) == 1 and writes[0].startswith("UPDATE room_connections"), writes
    assert seen.count("COMMIT") == 1
