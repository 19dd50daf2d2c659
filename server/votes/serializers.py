"""Votes as JSON, by who is looking: counts only once closed (organisers) or published (everyone); who chose what
only for named votes once published. Imports nothing from the room or the vote services."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, User, Vote, VoteEligibility, VoteReceipt, VoteTally
from server.permissions import role_in
from server.votes import counting

ORGANISERS = ("chair", "secretary")


def tallies(vote: Vote) -> dict[int, int]:
    rows = db.session.execute(sa.select(VoteTally.option_id, VoteTally.count).where(VoteTally.vote_id == vote.id))
    counts = {o.id: 0 for o in vote.options}
    counts.update({option_id: count for option_id, count in rows})
    return counts


def voted_count(vote: Vote) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(VoteReceipt).where(
        VoteReceipt.vote_id == vote.id)) or 0


def outcome(vote: Vote, counts: dict[int, int], ballots: int) -> counting.Outcome:
    if vote.kind == "yes_no":
        by_code = {o.code: counts[o.id] for o in vote.options}
        return counting.yes_no(by_code["yes"], by_code["no"], by_code["abstain"], rule=vote.rule,
                               members=vote.members_count)
    return counting.choice(counts, ballots=ballots, rule=vote.rule, members=vote.members_count,
                           seats=vote.max_choices if vote.kind == "multi" else 1)


def result_json(vote: Vote, *, with_names: bool) -> dict:
    counts, ballots = tallies(vote), voted_count(vote)
    result = outcome(vote, counts, ballots)
    data = {"passed": result.passed, "tie": result.tie, "needed": result.needed, "ballots": ballots,
            "eligible": vote.eligible_count, "members": vote.members_count,
            "not_voted": max(0, vote.eligible_count - ballots),
            "options": [{"id": o.id, "code": o.code, "label": o.label, "count": counts[o.id]} for o in vote.options],
            "elected": result.elected}
    if with_names and not vote.secret:
        receipts = db.session.execute(sa.select(VoteReceipt.choices, User.id, User.full_name)
                                      .join(User, User.id == VoteReceipt.user_id)
                                      .where(VoteReceipt.vote_id == vote.id).order_by(User.full_name))
        data["named"] = [{"user_id": uid, "full_name": name, "choices": [int(c) for c in choices.split(",")]}
                         for choices, uid, name in receipts]
    return data


def vote_json(vote: Vote, *, role: str | None, me: User | None = None) -> dict:
    """role: the viewer's role in the meeting (None: the wall screen or a broadcast to everyone)."""
    organiser = role in ORGANISERS
    data = {
        "id": vote.id, "meeting_id": vote.meeting_id, "agenda_item_id": vote.agenda_item_id,
        "question": vote.question, "kind": vote.kind, "max_choices": vote.max_choices, "secret": vote.secret,
        "allow_change": vote.allow_change, "rule": vote.rule, "countdown_seconds": vote.countdown_seconds,
        "status": vote.status, "eligible_count": vote.eligible_count, "members_count": vote.members_count,
        "voted_count": voted_count(vote) if vote.status != "draft" else 0,
        "opened_at": vote.opened_at.isoformat() if vote.opened_at else None,
        "closes_at": vote.closes_at.isoformat() if vote.closes_at else None,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "cancel_reason": vote.cancel_reason or None, "rerun_of_id": vote.rerun_of_id,
        "options": [{"id": o.id, "code": o.code, "label": o.label} for o in vote.options],
        "result": None,
    }
    if vote.status == "published" or (vote.status == "closed" and organiser):
        data["result"] = result_json(vote, with_names=vote.status == "published" or organiser)
    if me is not None and vote.status != "draft":
        receipt = db.session.scalar(sa.select(VoteReceipt).where(VoteReceipt.vote_id == vote.id,
                                                                 VoteReceipt.user_id == me.id))
        data["my_ballot"] = None if receipt is None else {
            "ballot_id": receipt.ballot_id,
            # A secret vote keeps no link from a person to a choice: the device shows what it sent.
            "choices": [int(c) for c in receipt.choices.split(",")] if receipt.choices else None}
        # Whether this viewer is on the list fixed when it opened (a tablet shows the buttons or says why not).
        data["may_vote"] = db.session.scalar(sa.select(VoteEligibility.id).where(
            VoteEligibility.vote_id == vote.id, VoteEligibility.user_id == me.id)) is not None
    return data


def vote_json_for(viewer: User, vote: Vote) -> dict:
    """As the viewer may see it (their role in the meeting decides)."""
    return vote_json(vote, role=role_in(viewer, db.session.get(Meeting, vote.meeting_id)), me=viewer)
