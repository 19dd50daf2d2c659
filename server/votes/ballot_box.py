"""The ballot box: how a burst of ballots reaches the database fast without giving up any guarantee.

Two things make 500 ballots in one second cheap on one process:

- An open vote's fixed facts (its options, how many may be chosen, who may vote) are read once per process and kept
  while it is open: none of them can change once it has opened. Whether it is *still* open is never taken from
  memory: it is read, with the vote's row locked, inside the transaction that stores the ballots.
- Group commit: ballots that arrive while a transaction is being written wait for the next one, which stores them all
  (one INSERT ... ON CONFLICT DO NOTHING for the receipts, one UPDATE per option for the counts, one commit). Each
  caster is answered only after the commit that holds their ballot.

Anything unusual (a second ballot from the same person, a vote that has just closed, a failed transaction) is
answered "slow": the caller then takes the one-ballot-one-transaction path in service.py, which has every rule and
every message. The database's unique constraints stay the last word on "one ballot per person".
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite

from server.extensions import db, socketio
from server.models import Vote, VoteEligibility, VoteOption, VoteReceipt, VoteTally
from server.models.types import utcnow

log = logging.getLogger(__name__)

STORED, SLOW = "stored", "slow"
WAIT_SECONDS = 30  # a caster waits at most this long for its commit before being told to try again


@dataclass(frozen=True)
class OpenVote:
    """What cannot change about a vote once it is open."""

    id: int
    meeting_id: int
    kind: str
    max_choices: int
    secret: bool
    allow_change: bool
    closes_at: datetime | None
    options: tuple[int, ...]
    eligible: frozenset[int]


@dataclass
class _Pending:
    vote: OpenVote
    user_id: int
    ballot_id: str
    choices: list[int]
    done: threading.Event = field(default_factory=threading.Event)
    outcome: str = SLOW


class BallotBox:
    """One per application and process. Thread- and greenlet-safe: threading primitives are green under eventlet."""

    def __init__(self, app: Flask):
        self.app = app
        self.lock = threading.Lock()
        self.queue: list[_Pending] = []
        self.writing = False
        self.cards: dict[int, OpenVote] = {}
        # Ballots this process has stored, per vote: a resend is answered without a query (a hint only; the
        # database decides when the hint is missing).
        self.stored: dict[int, dict[int, str]] = {}

    # ---- the open vote's fixed facts ------------------------------------------------------------------------------

    def open_vote(self, vote_id: int) -> OpenVote | None:
        card = self.cards.get(vote_id)
        if card is not None:
            return card
        vote = db.session.get(Vote, vote_id)
        if vote is None or vote.status != "open":
            return None
        options = tuple(db.session.scalars(sa.select(VoteOption.id).where(VoteOption.vote_id == vote_id)
                                           .order_by(VoteOption.position)))
        eligible = frozenset(db.session.scalars(sa.select(VoteEligibility.user_id)
                                                .where(VoteEligibility.vote_id == vote_id)))
        card = OpenVote(id=vote.id, meeting_id=vote.meeting_id, kind=vote.kind, max_choices=vote.max_choices,
                        secret=vote.secret, allow_change=vote.allow_change, closes_at=vote.closes_at,
                        options=options, eligible=eligible)
        with self.lock:
            self.cards[vote_id] = card
        return card

    def forget(self, vote_id: int) -> None:
        """The vote is no longer open (closed, cancelled): its facts are not needed any more."""
        with self.lock:
            self.cards.pop(vote_id, None)
            self.stored.pop(vote_id, None)

    def already_stored(self, vote: OpenVote, user_id: int, ballot_id: str) -> bool:
        # A vote that allows changing may hold a newer ballot of this person stored by another process.
        return not vote.allow_change and self.stored.get(vote.id, {}).get(user_id) == ballot_id

    # ---- group commit -----------------------------------------------------------------------------------------------

    def submit(self, vote: OpenVote, user_id: int, ballot_id: str, choices: list[int]) -> str:
        """Waits until the ballot is committed (STORED) or must take the one-by-one path (SLOW)."""
        pending = _Pending(vote, user_id, ballot_id, choices)
        with self.lock:
            self.queue.append(pending)
            start = not self.writing
            self.writing = True
        if start:
            socketio.start_background_task(self._write_all)
        if not pending.done.wait(WAIT_SECONDS):
            return SLOW  # the database is stuck; the slow path will report what it finds
        return pending.outcome

    def _write_all(self) -> None:
        with self.app.app_context():
            try:
                while True:
                    with self.lock:
                        batch, self.queue = self.queue, []
                        if not batch:
                            self.writing = False
                            return
                    try:
                        self._write(batch)
                    except Exception:
                        log.exception("storing %d ballots together failed; they are stored one by one", len(batch))
                        db.session.rollback()
                        for pending in batch:
                            pending.outcome = SLOW
                    finally:
                        for pending in batch:
                            pending.done.set()
            finally:
                db.session.remove()

    def _write(self, batch: list[_Pending]) -> None:
        by_vote: dict[int, list[_Pending]] = {}
        for pending in batch:
            by_vote.setdefault(pending.vote.id, []).append(pending)
        stored: list[tuple[int, int, str]] = []
        not_open: list[int] = []
        for vote_id, group in by_vote.items():
            # The row lock makes a close wait for this commit (PostgreSQL); SQLite writes one transaction at a time.
            row = db.session.execute(sa.select(Vote.status, Vote.closes_at).where(Vote.id == vote_id)
                                     .with_for_update()).one_or_none()
            if row is None or row.status != "open" or (row.closes_at is not None and utcnow() >= row.closes_at):
                not_open.append(vote_id)  # these ballots go the slow way, which says "closed" or "already counted"
                continue
            stored += [(vote_id, user_id, ballot_id) for user_id, ballot_id in self._insert(group)]
        db.session.commit()
        with self.lock:
            for vote_id, user_id, ballot_id in stored:
                self.stored.setdefault(vote_id, {})[user_id] = ballot_id
        keys = set(stored)
        for pending in batch:
            key = (pending.vote.id, pending.user_id, pending.ballot_id)
            if key in keys:
                pending.outcome = STORED
                keys.discard(key)  # the same ballot twice in one batch: the second is a resend (slow path says so)
        for vote_id in not_open:
            self.forget(vote_id)

    def _insert(self, group: list[_Pending]) -> list[tuple[int, str]]:
        """Receipts of those who have none yet, and the counts of exactly those; returns (user_id, ballot_id) stored."""
        vote = group[0].vote
        now = utcnow()
        rows, choices_of = [], {}
        for pending in group:
            if pending.user_id in choices_of:
                continue
            choices_of[pending.user_id] = (pending.ballot_id, pending.choices)
            row = {"vote_id": vote.id, "user_id": pending.user_id, "ballot_id": pending.ballot_id}
            if not vote.secret:
                row |= {"choices": ",".join(map(str, pending.choices)), "cast_at": now}
            rows.append(row)
        if vote.secret:
            rows.sort(key=lambda r: r["ballot_id"])  # receipt ids must not follow the order people voted in
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        inserted = db.session.execute(dialect.insert(VoteReceipt).values(rows).on_conflict_do_nothing()
                                      .returning(VoteReceipt.user_id, VoteReceipt.ballot_id)).all()
        counts = Counter()
        for user_id, ballot_id in inserted:
            counts.update(choices_of[user_id][1])
        for option_id, n in counts.items():
            db.session.execute(sa.update(VoteTally).where(VoteTally.vote_id == vote.id, VoteTally.option_id == option_id)
                               .values(count=VoteTally.count + n))
        return [(user_id, ballot_id) for user_id, ballot_id in inserted]


def ballot_box(app: Flask) -> BallotBox:
    box = app.extensions.get("ballot_box")
    if box is None:
        box = app.extensions.setdefault("ballot_box", BallotBox(app))
    return box
