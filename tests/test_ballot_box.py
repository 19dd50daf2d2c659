"""The ballot box (server/votes/ballot_box.py): ballots arriving together are stored in one transaction, each caster is
answered only after that commit, and nothing it keeps in memory decides whether a vote is still open."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from server.errors import Conflict
from server.extensions import db
from server.models import Attendance, Participant, User, Vote, VoteReceipt, VoteTally
from server.votes import ballot_box as box_module
from server.votes import service

VOTERS = 40


@pytest.fixture
def open_vote(app, make_meeting):
    """A meeting in progress with VOTERS delegates, all checked in, and an open yes/no vote."""
    people = {"chair": "chair", **{f"d{i}": "delegate" for i in range(VOTERS)}}
    mid, ids = make_meeting(status="in_progress", people=people)
    with app.app_context():
        for participant in db.session.scalars(sa.select(Participant).where(Participant.meeting_id == mid)):
            if participant.role != "secretary":
                db.session.add(Attendance(meeting_id=mid, participant_id=participant.id, status="present"))
        db.session.commit()
        with app.test_request_context():
            secretary = db.session.get(User, ids["secretary"])
            vote = service.create_vote(secretary, mid, {"question": "Thông qua?", "kind": "yes_no"})
            service.open_vote(db.session.get(User, ids["chair"]), vote.id)
            options = {o.code: o.id for o in vote.options}
            vote_id = vote.id
        db.session.remove()
    return vote_id, options, [ids[f"d{i}"] for i in range(VOTERS)]


def cast(app, user_id, vote_id, choices, ballot_id=None):
    with app.test_request_context():
        try:
            return service.cast_ballot(db.session.get(User, user_id), vote_id,
                                       {"ballot_id": ballot_id or str(uuid.uuid4()), "choices": choices})
        finally:
            db.session.remove()


def counts(app, vote_id):
    with app.app_context():
        receipts = db.session.scalar(sa.select(sa.func.count()).select_from(VoteReceipt)
                                     .where(VoteReceipt.vote_id == vote_id))
        tallies = dict(db.session.execute(sa.select(VoteTally.option_id, VoteTally.count)
                                          .where(VoteTally.vote_id == vote_id)).all())
        db.session.remove()
    return receipts, tallies


def test_ballots_arriving_together_share_one_commit_and_are_counted_exactly(app, open_vote, monkeypatch):
    vote_id, options, voters = open_vote
    batches = []
    real_write = box_module.BallotBox._write

    def slow_disk(self, batch):
        batches.append(len(batch))
        if len(batches) == 1:
            time.sleep(0.3)  # while the first transaction is written, everyone else arrives
        return real_write(self, batch)

    monkeypatch.setattr(box_module.BallotBox, "_write", slow_disk)
    start = threading.Barrier(VOTERS)
    results, errors = {}, []

    def delegate(k, user_id):
        start.wait()
        try:
            results[user_id] = cast(app, user_id, vote_id, [options[("yes", "no", "abstain")[k % 3]]])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=delegate, args=(k, uid)) for k, uid in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(results) == VOTERS and all(r.new for r in results.values())
    assert sum(batches) == VOTERS and len(batches) < VOTERS / 2, batches  # grouped, not one commit each
    receipts, tallies = counts(app, vote_id)
    assert receipts == VOTERS
    assert tallies == {options["yes"]: 14, options["no"]: 13, options["abstain"]: 13}


def test_an_acknowledged_ballot_is_already_in_the_database(app, open_vote):
    vote_id, options, voters = open_vote
    cast_result = cast(app, voters[0], vote_id, [options["yes"]])
    assert cast_result.new
    assert counts(app, vote_id) == (1, {options["yes"]: 1, options["no"]: 0, options["abstain"]: 0})


def test_resends_and_second_ballots_through_the_box(app, open_vote):
    vote_id, options, voters = open_vote
    ballot = str(uuid.uuid4())
    assert cast(app, voters[0], vote_id, [options["yes"]], ballot).new
    assert not cast(app, voters[0], vote_id, [options["yes"]], ballot).new  # answered from what the box stored
    app.extensions["ballot_box"].stored.clear()  # as if another process had stored it
    assert not cast(app, voters[0], vote_id, [options["yes"]], ballot).new
    with pytest.raises(Conflict) as refused:
        cast(app, voters[0], vote_id, [options["no"]])
    assert refused.value.code == "already_voted"
    assert counts(app, vote_id)[0] == 1


def test_a_vote_closed_by_another_process_refuses_ballots_at_once(app, open_vote):
    """The box remembers the open vote's options and voters, never whether it is still open."""
    vote_id, options, voters = open_vote
    assert cast(app, voters[0], vote_id, [options["yes"]]).new  # the box now knows this vote
    with app.app_context():
        db.session.execute(sa.update(Vote).where(Vote.id == vote_id).values(status="closed"))
        db.session.commit()
    with pytest.raises(Conflict) as refused:
        cast(app, voters[1], vote_id, [options["no"]])
    assert refused.value.code == "vote_closed"
    assert counts(app, vote_id) == (1, {options["yes"]: 1, options["no"]: 0, options["abstain"]: 0})


def test_a_failed_transaction_falls_back_to_one_ballot_at_a_time(app, open_vote, monkeypatch):
    vote_id, options, voters = open_vote

    def broken(self, group):
        raise RuntimeError("disk full")

    monkeypatch.setattr(box_module.BallotBox, "_insert", broken)
    assert cast(app, voters[0], vote_id, [options["no"]]).new
    assert counts(app, vote_id) == (1, {options["yes"]: 0, options["no"]: 1, options["abstain"]: 0})
