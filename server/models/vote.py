"""Votes (biểu quyết): the question, its options, who may vote, the ballots, the counts and an append-only log.

Secret votes keep who has voted (vote_receipts, without a choice or a time) apart from what was chosen (vote_tallies,
counters only): no row links a person to a choice, and no order or timestamp can re-link them. Named votes keep the
choice on the receipt. One receipt per person per vote: a unique constraint, not a check in code."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.types import UTCDateTime, utcnow

VOTE_KINDS = ("yes_no", "single", "multi")  # Đồng ý / Không đồng ý / Không biểu quyết; one of several; up to K
MAJORITY_RULES = ("cast", "members", "two_thirds")
VOTE_STATUSES = ("draft", "open", "closed", "published", "cancelled")


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {VOTE_KINDS!r}", name="kind"),
        sa.CheckConstraint(f"rule IN {MAJORITY_RULES!r}", name="rule"),
        sa.CheckConstraint(f"status IN {VOTE_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(16), default="yes_no")
    max_choices: Mapped[int] = mapped_column(default=1)
    secret: Mapped[bool] = mapped_column(default=False)
    allow_change: Mapped[bool] = mapped_column(default=False)  # named votes only: change until it closes
    rule: Mapped[str] = mapped_column(sa.String(16), default="members")
    countdown_seconds: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    # Fixed when it opens: how many may vote, and how many voting members the meeting has (the base of the rules).
    eligible_count: Mapped[int] = mapped_column(default=0)
    members_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    rerun_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("votes.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    options: Mapped[list["VoteOption"]] = relationship(cascade="all, delete-orphan", order_by="VoteOption.position")


class VoteOption(db.Model):
    __tablename__ = "vote_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str | None] = mapped_column(sa.String(16))  # yes / no / abstain for yes_no votes
    label: Mapped[str] = mapped_column(sa.String(300))


class VoteEligibility(db.Model):
    """Who may vote in this vote: the voting members checked in when it opened."""

    __tablename__ = "vote_eligibility"
    __table_args__ = (sa.UniqueConstraint("vote_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))


class VoteReceipt(db.Model):
    """One per person per vote (the unique constraint is what makes it so). The client's ballot id makes a resend after
    a reconnect harmless. Named votes: the choice is here. Secret votes: no choice and no time here."""

    __tablename__ = "vote_receipts"
    __table_args__ = (sa.UniqueConstraint("vote_id", "user_id"), sa.UniqueConstraint("vote_id", "ballot_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    ballot_id: Mapped[str] = mapped_column(sa.String(36))
    choices: Mapped[str | None] = mapped_column(sa.String(500))  # named: option ids, comma-separated
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # named only


class VoteTally(db.Model):
    """Counters per option. For secret votes the only place choices are kept."""

    __tablename__ = "vote_tallies"
    __table_args__ = (sa.UniqueConstraint("vote_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int] = mapped_column(sa.ForeignKey("vote_options.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(default=0)


class VoteEvent(db.Model):
    """Append-only log of every change of a vote's state (the service only ever inserts here)."""

    __tablename__ = "vote_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
