"""Service functions called directly, as the socket handlers will call them: same rules as over HTTP."""
from __future__ import annotations

import pytest

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.meetings import service
from server.models import Meeting, User


@pytest.fixture
def world(app, make_meeting):
    mid, ids = make_meeting(status="draft", items=("A", "B", "C"), people={"chu": "chair", "d1": "delegate"})
    with app.app_context():
        yield mid, {name: db.session.get(User, uid) for name, uid in ids.items()}


def _titles(mid):
    return [i.title for i in db.session.get(Meeting, mid).items]


def test_move_item_is_bounded_and_renumbers(world):
    mid, people = world
    meeting = db.session.get(Meeting, mid)
    first, _, last = meeting.items
    service.move_item(people["secretary"], first.id, -1)  # already first: nothing moves
    assert _titles(mid) == ["A", "B", "C"]
    service.move_item(people["secretary"], first.id, +1)
    assert _titles(mid) == ["B", "A", "C"]
    service.move_item(people["secretary"], last.id, -1)
    assert _titles(mid) == ["B", "C", "A"]
    assert [i.number for i in db.session.get(Meeting, mid).items] == [1, 2, 3]


def test_the_lifecycle_and_who_drives_it(world):
    mid, people = world
    with pytest.raises(NotFound):  # a draft does not exist for the chair yet
        service.set_meeting_status(people["chu"], mid, "published")
    service.set_meeting_status(people["secretary"], mid, "published")
    with pytest.raises(Forbidden):
        service.set_meeting_status(people["chu"], mid, "draft")
    with pytest.raises(Forbidden):
        service.set_meeting_status(people["d1"], mid, "in_progress")
    with pytest.raises(Conflict):
        service.set_meeting_status(people["chu"], mid, "closed")
    assert service.set_meeting_status(people["chu"], mid, "in_progress").started_at is not None
    assert service.set_meeting_status(people["chu"], mid, "closed").closed_at is not None
    with pytest.raises(Conflict):
        service.add_item(people["secretary"], mid, {"title": "Muộn"})


def test_starting_needs_a_chair(app, make_meeting):
    mid, ids = make_meeting(status="published")
    with app.app_context():
        secretary = db.session.get(User, ids["secretary"])
        with pytest.raises(Conflict) as info:
            service.set_meeting_status(secretary, mid, "in_progress")
        assert info.value.code == "no_chair"


def test_refused_changes_leave_the_meeting_as_it_was(world):
    mid, people = world
    before = (_titles(mid), db.session.get(Meeting, mid).title)
    for bad in ({"title": ""}, {"starts_at": "hôm qua"}, {"organization": "x" * 400}):
        with pytest.raises(Invalid):
            service.update_meeting(people["secretary"], mid, {"title": "Mới", **bad})
        db.session.rollback()
    assert (_titles(mid), db.session.get(Meeting, mid).title) == before


def test_vote_right_only_for_chairs_and_delegates(world):
    mid, people = world
    meeting = db.session.get(Meeting, mid)
    delegate = next(p for p in meeting.participants if p.role == "delegate")
    changed = service.update_participant(people["secretary"], delegate.id, {"role": "observer", "can_vote": True})
    assert changed.role == "observer" and changed.can_vote is False
