"""Votes: prepared, opened, cast, closed, published, cancelled and run again. One function per state change.

A ballot is acknowledged only after its transaction is committed (SQLite in WAL with synchronous=FULL, or PostgreSQL).
Every change of a vote's state is also written to vote_events, which is only ever appended to."""
from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _

from server import validation as v
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db, socketio
from server.meetings.service import get_meeting
from server.models import (MAJORITY_RULES, VOTE_KINDS, Attendance, Meeting, User, Vote,
                           VoteEligibility, VoteEvent, VoteOption, VoteReceipt, VoteTally)
from server.models.types import utcnow
from server.permissions import role_in
from server.realtime.broadcast import meeting_room, organisers_room, user_room
from server.room import quorum
from server.room import service as room
from server.votes.ballot_box import STORED, ballot_box
from server.votes.serializers import vote_json, voted_count

log = logging.getLogger(__name__)
YES_NO = (("yes", "Đồng ý"), ("no", "Không đồng ý"), ("abstain", "Không biểu quyết"))


def _log(vote: Vote, actor: User | None, action: str, **detail) -> None:
    db.session.add(VoteEvent(vote_id=vote.id, actor_id=actor.id if actor else None, action=action,
                             detail=json.dumps(detail, ensure_ascii=False, default=str)))


def _vote(user: User, vote_id: int) -> tuple[Vote, Meeting]:
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise NotFound()
    meeting = get_meeting(user, vote.meeting_id)
    if vote.status == "draft" and role_in(user, meeting) not in ("chair", "secretary"):
        raise NotFound()  # a prepared vote is not shown before it opens
    return vote, meeting


def _runner(user: User, meeting: Meeting) -> None:
    if role_in(user, meeting) not in ("chair", "secretary"):
        raise Forbidden(_("Only the chair can do this."), code="not_chair")


def _room_delta(meeting: Meeting, vote: Vote) -> None:
    """The vote's public state is part of the numbered room state: a late joiner sees the open vote at once."""
    state = room.state_of(meeting.id, lock=True)
    room.commit_delta(meeting, state, "vote", vote_json(vote, role=None))


# ---- preparing -----------------------------------------------------------------------------------------------------

def _fields(meeting: Meeting, data: dict, *, partial: bool) -> dict:
    fields = {}
    if not partial or "question" in data:
        fields["question"] = v.text(data, "question", _("Question"), required=True, max_len=2000)
    if not partial or "kind" in data:
        fields["kind"] = v.choice(data, "kind", _("Kind of vote"), VOTE_KINDS, default="yes_no")
    if not partial or "rule" in data:
        fields["rule"] = v.choice(data, "rule", _("Majority rule"), MAJORITY_RULES, default="members")
    if not partial or "secret" in data:
        fields["secret"] = v.boolean(data, "secret")
    if not partial or "allow_change" in data:
        fields["allow_change"] = v.boolean(data, "allow_change")
    if not partial or "countdown_seconds" in data:
        fields["countdown_seconds"] = v.integer(data, "countdown_seconds", _("Countdown"), minimum=10, maximum=3600)
    if not partial or "agenda_item_id" in data:
        item_id = v.integer(data, "agenda_item_id", _("Agenda item"))
        if item_id is not None and item_id not in {i.id for i in meeting.items}:
            raise Invalid(_("This agenda item is not part of the meeting."), field="agenda_item_id")
        fields["agenda_item_id"] = item_id
    return fields


def _options(kind: str, data: dict) -> list[VoteOption]:
    if kind == "yes_no":
        return [VoteOption(position=i, code=code, label=label) for i, (code, label) in enumerate(YES_NO)]
    labels = data.get("options")
    if not isinstance(labels, list) or not 2 <= len(labels) <= 50:
        raise Invalid(_("A choice needs between 2 and 50 options."), field="options")
    clean = [v.text({"o": label}, "o", _("Option"), required=True, max_len=300) for label in labels]
    if len({c.lower() for c in clean}) != len(clean):
        raise Invalid(_("Two options have the same text."), field="options")
    return [VoteOption(position=i, label=label) for i, label in enumerate(clean)]


def _check(vote: Vote, data: dict) -> None:
    if vote.kind == "multi":
        vote.max_choices = v.integer(data, "max_choices", _("Most choices"), required=True, minimum=1,
                                     maximum=len(vote.options))
    else:
        vote.max_choices = 1
    if vote.secret:
        vote.allow_change = False  # changing needs a link from the person to the choice, which a secret vote has not


def create_vote(user: User, meeting_id: int, data: dict) -> Vote:
    """The secretary prepares votes ahead; the chair can also make one on the spot."""
    meeting = get_meeting(user, meeting_id)
    _runner(user, meeting)
    if meeting.status == "closed":
        raise Conflict(_("This meeting is closed and can no longer be changed."), code="meeting_closed")
    vote = Vote(meeting_id=meeting.id, created_by_id=user.id, status="draft", **_fields(meeting, data, partial=False))
    vote.options = _options(vote.kind, data)
    _check(vote, data)
    db.session.add(vote)
    db.session.flush()
    _log(vote, user, "created", question=vote.question)
    db.session.commit()
    return vote


def update_vote(user: User, vote_id: int, data: dict) -> Vote:
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status != "draft":
        raise Conflict(_("Only a prepared vote that has not been opened can be changed."), code="not_draft")
    for name, value in _fields(meeting, data, partial=True).items():
        setattr(vote, name, value)
    if "options" in data or "kind" in data:
        vote.options = _options(vote.kind, data)
    _check(vote, {"max_choices": vote.max_choices, **data})
    _log(vote, user, "changed", fields=sorted(data))
    db.session.commit()
    return vote


def delete_vote(user: User, vote_id: int) -> None:
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status != "draft":
        raise Conflict(_("Only a prepared vote that has not been opened can be deleted."), code="not_draft")
    db.session.delete(vote)
    db.session.commit()


def list_votes(user: User, meeting_id: int) -> list[Vote]:
    meeting = get_meeting(user, meeting_id)
    query = sa.select(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)
    if role_in(user, meeting) not in ("chair", "secretary"):
        query = query.where(Vote.status != "draft")
    return list(db.session.scalars(query))


def get_vote(user: User, vote_id: int) -> Vote:
    return _vote(user, vote_id)[0]


# ---- opening -------------------------------------------------------------------------------------------------------

def open_vote(user: User, vote_id: int) -> Vote:
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status != "draft":
        raise Conflict(_("This vote has already been opened."), code="not_draft")
    if meeting.status != "in_progress":
        raise Conflict(_("Votes can only be opened while the meeting is in progress."), code="meeting_not_started")
    if db.session.scalar(sa.select(Vote.id).where(Vote.meeting_id == meeting.id, Vote.status == "open")):
        raise Conflict(_("Another vote is open. Close it first."), code="another_open")
    counted = quorum.counted(meeting)
    members = [p for p in meeting.participants if p.can_vote and p.role != "secretary"]
    checked_in = set(db.session.scalars(sa.select(Attendance.participant_id).where(
        Attendance.meeting_id == meeting.id, Attendance.status.in_(counted))))
    eligible = [p for p in members if p.id in checked_in]
    required = quorum.required(meeting, len(members)) or 1  # a meeting without voting members cannot vote
    if len(eligible) < required:
        raise Conflict(_("Not enough voting members are checked in: %(n)d of %(total)d, at least %(required)d are "
                         "needed.", n=len(eligible), total=len(members), required=required), code="no_quorum")
    vote.status = "open"
    vote.opened_at = utcnow()
    vote.closes_at = vote.opened_at + timedelta(seconds=vote.countdown_seconds) if vote.countdown_seconds else None
    vote.eligible_count, vote.members_count = len(eligible), len(members)
    db.session.add_all([VoteEligibility(vote_id=vote.id, user_id=p.user_id) for p in eligible])
    db.session.add_all([VoteTally(vote_id=vote.id, option_id=o.id, count=0) for o in vote.options])
    _log(vote, user, "opened", eligible=len(eligible), members=len(members))
    _room_delta(meeting, vote)
    log.info("vote %s opened in meeting %s by %s (%d may vote)", vote.id, meeting.id, user.username, len(eligible))
    if vote.closes_at:
        start_countdown(current_app._get_current_object(), vote.id)
    return vote


# ---- casting -------------------------------------------------------------------------------------------------------

def _choices(option_ids, kind: str, max_choices: int, choices) -> list[int]:
    valid = set(option_ids)
    if not isinstance(choices, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
        raise Invalid(_("Choose from the options of this vote."), field="choices")
    if len(set(choices)) != len(choices) or not set(choices) <= valid:
        raise Invalid(_("Choose from the options of this vote."), field="choices")
    most = max_choices if kind == "multi" else 1
    if not 1 <= len(choices) <= most:
        raise Invalid(_("Choose at least one and at most %(n)d.", n=most), field="choices")
    return sorted(choices)


def _ballot_id(data: dict) -> str:
    try:
        return str(uuid.UUID(str(data.get("ballot_id"))))
    except ValueError:
        raise Invalid(_("A ballot needs an id (a UUID made by the client)."), field="ballot_id") from None


@dataclass(frozen=True)
class Cast:
    vote_id: int
    ballot_id: str
    new: bool  # False: this ballot id was already counted (a resend), acknowledged again


def cast_ballot(user: User, vote_id: int, data: dict) -> Cast:
    """Stores one ballot and returns only once it is committed. Resending the same ballot id is harmless.

    The usual case (an eligible member's first ballot in an open vote) goes through the ballot box, which stores
    ballots arriving together in one transaction; everything else goes one by one through _cast_alone."""
    ballot_id = _ballot_id(data)
    app = current_app._get_current_object()
    box = ballot_box(app)
    vote = box.open_vote(vote_id)
    if vote is not None and user.id in vote.eligible:
        if box.already_stored(vote, user.id, ballot_id):
            return Cast(vote.id, ballot_id, new=False)
        choices = _choices(vote.options, vote.kind, vote.max_choices, data.get("choices"))
        user_id = user.id
        # Hand the connection back while waiting: 500 casters waiting for one commit must not hold 500 connections.
        db.session.close()
        if box.submit(vote, user_id, ballot_id, choices) == STORED:
            _announce(app, vote.meeting_id, vote.id, vote.secret, user_id, ballot_id, choices)
            return Cast(vote.id, ballot_id, new=True)
        user = db.session.get(User, user_id)
    return _cast_alone(user, vote_id, ballot_id, data)


def _cast_alone(user: User, vote_id: int, ballot_id: str, data: dict) -> Cast:
    """One ballot in its own transaction, with every rule: resends, changes, closed votes, who may vote."""
    vote, meeting = _vote(user, vote_id)
    existing = db.session.scalar(sa.select(VoteReceipt).where(VoteReceipt.vote_id == vote.id,
                                                              VoteReceipt.user_id == user.id))
    if existing is not None and existing.ballot_id == ballot_id:
        return Cast(vote.id, ballot_id, new=False)  # a resend after a reconnect: already counted
    # Locked (PostgreSQL): a close waits for this ballot's commit instead of passing it.
    status, closes_at = db.session.execute(sa.select(Vote.status, Vote.closes_at).where(Vote.id == vote.id)
                                           .with_for_update()).one()
    if status != "open" or (closes_at and utcnow() >= closes_at):
        raise Conflict(_("This vote is closed."), code="vote_closed")
    if not db.session.scalar(sa.select(VoteEligibility.id).where(VoteEligibility.vote_id == vote.id,
                                                                 VoteEligibility.user_id == user.id)):
        raise Forbidden(_("You may not vote in this vote: only voting members checked in when it opened."),
                        code="not_eligible")
    choices = _choices([o.id for o in vote.options], vote.kind, vote.max_choices, data.get("choices"))
    if existing is not None:
        if not vote.allow_change:
            raise Conflict(_("You have already voted."), code="already_voted")
        _count(vote, [int(c) for c in existing.choices.split(",")], -1)
        existing.ballot_id, existing.choices, existing.cast_at = ballot_id, ",".join(map(str, choices)), utcnow()
    else:
        receipt = VoteReceipt(vote_id=vote.id, user_id=user.id, ballot_id=ballot_id)
        if not vote.secret:
            receipt.choices, receipt.cast_at = ",".join(map(str, choices)), utcnow()
        db.session.add(receipt)
    _count(vote, choices, +1)
    vote_id, meeting_id, secret = vote.id, vote.meeting_id, vote.secret  # read before the commit expires them
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # The same person's ballot committed meanwhile (another tablet, or a resend racing the first).
        db.session.rollback()
        again = db.session.scalar(sa.select(VoteReceipt.ballot_id).where(VoteReceipt.vote_id == vote_id,
                                                                         VoteReceipt.user_id == user.id))
        if again == ballot_id:
            return Cast(vote_id, ballot_id, new=False)
        raise Conflict(_("You have already voted."), code="already_voted") from None
    _announce(current_app._get_current_object(), meeting_id, vote_id, secret, user.id, ballot_id, choices)
    return Cast(vote_id, ballot_id, new=True)


def _announce(app: Flask, meeting_id: int, vote_id: int, secret: bool, user_id: int, ballot_id: str,
              choices: list[int]) -> None:
    """After the commit: progress to the room (paced), who voted to the organisers (named votes only), and the
    ballot to the voter's other devices."""
    progress.changed(app, vote_id)
    if not secret:
        socketio.emit("vote_voter", {"vote_id": vote_id, "user_id": user_id}, to=organisers_room(meeting_id))
    socketio.emit("vote_ballot", {"vote_id": vote_id, "ballot_id": ballot_id, "choices": choices},
                  to=user_room(user_id))


def _count(vote: Vote, option_ids: list[int], step: int) -> None:
    db.session.execute(sa.update(VoteTally).where(VoteTally.vote_id == vote.id, VoteTally.option_id.in_(option_ids))
                       .values(count=VoteTally.count + step))


class Progress:
    """How many have voted, sent at most every quarter second per vote: a burst of 500 ballots must not become
    500 × 500 messages. Per process (it is only pacing; the counts come from the database)."""

    interval = 0.25

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: set[int] = set()

    def changed(self, app: Flask, vote_id: int) -> None:
        with self.lock:
            if vote_id in self.pending:
                return
            self.pending.add(vote_id)
        socketio.start_background_task(self._send_later, app, vote_id)

    def _send_later(self, app: Flask, vote_id: int) -> None:
        socketio.sleep(self.interval)
        with self.lock:
            self.pending.discard(vote_id)
        with app.app_context():
            try:
                vote = db.session.get(Vote, vote_id)
                if vote is not None:
                    socketio.emit("vote_progress", {"vote_id": vote.id, "voted": voted_count(vote),
                                                    "eligible": vote.eligible_count}, to=meeting_room(vote.meeting_id))
            except Exception:  # only pacing: the next ballot, snapshot or delta carries the count anyway
                log.exception("vote progress for %s not sent", vote_id)
            finally:
                db.session.remove()


progress = Progress()


def who_voted(user: User, vote_id: int) -> dict:
    """For the chair and secretary: who has voted and who has not (names, never choices)."""
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    voted = set(db.session.scalars(sa.select(VoteReceipt.user_id).where(VoteReceipt.vote_id == vote.id)))
    eligible = db.session.execute(sa.select(User.id, User.full_name).join(
        VoteEligibility, VoteEligibility.user_id == User.id).where(VoteEligibility.vote_id == vote.id)
        .order_by(User.full_name)).all()
    return {"voted": [{"user_id": i, "full_name": n} for i, n in eligible if i in voted],
            "not_voted": [{"user_id": i, "full_name": n} for i, n in eligible if i not in voted]}


# ---- closing, publishing, cancelling ------------------------------------------------------------------------------

def close_vote(user: User | None, vote_id: int) -> Vote | None:
    """By the chair, or by the countdown (user None)."""
    if user is None:
        vote = db.session.get(Vote, vote_id)
        if vote is None:
            return None  # deleted meanwhile (with its meeting)
        meeting = db.session.get(Meeting, vote.meeting_id)
    else:
        vote, meeting = _vote(user, vote_id)
        _runner(user, meeting)
    # Conditional: two closers (the chair and the countdown, or two processes) close it once.
    closed = db.session.execute(sa.update(Vote).where(Vote.id == vote.id, Vote.status == "open")
                                .values(status="closed", closed_at=utcnow()))
    if closed.rowcount != 1:
        db.session.rollback()
        if user is None:
            return vote
        raise Conflict(_("This vote is not open."), code="not_open")
    ballot_box(current_app._get_current_object()).forget(vote.id)
    db.session.refresh(vote)
    _log(vote, user, "closed", ballots=voted_count(vote), by="countdown" if user is None else "chair")
    _room_delta(meeting, vote)
    socketio.emit("vote_result", vote_json(vote, role="chair"), to=organisers_room(meeting.id))
    return vote


def publish_vote(user: User, vote_id: int) -> Vote:
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status != "closed":
        raise Conflict(_("Only a closed vote can be announced."), code="not_closed")
    vote.status, vote.published_at = "published", utcnow()
    _log(vote, user, "published")
    _room_delta(meeting, vote)
    return vote


def cancel_vote(user: User, vote_id: int, reason) -> Vote:
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status not in ("open", "closed"):
        raise Conflict(_("Only an open or closed (not yet announced) vote can be cancelled."), code="not_cancellable")
    reason = v.text({"reason": reason}, "reason", _("Reason"), required=True, max_len=500)
    vote.status, vote.cancelled_at, vote.cancel_reason = "cancelled", utcnow(), reason
    ballot_box(current_app._get_current_object()).forget(vote.id)
    _log(vote, user, "cancelled", reason=reason)
    _room_delta(meeting, vote)
    return vote


def rerun_vote(user: User, vote_id: int) -> Vote:
    """A cancelled vote run again as a new vote (the old one and its ballots are kept)."""
    vote, meeting = _vote(user, vote_id)
    _runner(user, meeting)
    if vote.status != "cancelled":
        raise Conflict(_("Only a cancelled vote can be run again."), code="not_cancelled")
    copy = Vote(meeting_id=vote.meeting_id, agenda_item_id=vote.agenda_item_id, question=vote.question,
                kind=vote.kind, max_choices=vote.max_choices, secret=vote.secret, allow_change=vote.allow_change,
                rule=vote.rule, countdown_seconds=vote.countdown_seconds, status="draft", rerun_of_id=vote.id,
                created_by_id=user.id,
                options=[VoteOption(position=o.position, code=o.code, label=o.label) for o in vote.options])
    db.session.add(copy)
    db.session.flush()
    _log(copy, user, "created", rerun_of=vote.id)
    db.session.commit()
    return copy


# ---- countdown -----------------------------------------------------------------------------------------------------

def start_countdown(app: Flask, vote_id: int) -> None:
    socketio.start_background_task(_countdown, app, vote_id)


def _countdown(app: Flask, vote_id: int) -> None:
    with app.app_context():
        vote = db.session.get(Vote, vote_id)
        if vote is None or vote.status != "open" or vote.closes_at is None:
            return
        wait = (vote.closes_at - utcnow()).total_seconds()
        db.session.remove()
    socketio.sleep(max(0.0, wait) + 0.05)
    with app.app_context():
        try:
            close_vote(None, vote_id)
        finally:
            db.session.remove()


def resume_countdowns(app: Flask) -> int:
    """At start-up: open votes with a countdown close on time even after a restart."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Vote.id).where(Vote.status == "open", Vote.closes_at.is_not(None))))
    for vote_id in ids:
        start_countdown(app, vote_id)
    return len(ids)
