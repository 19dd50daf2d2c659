"""A meeting with its sites (điểm cầu), agenda and participants."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.types import UTCDateTime, utcnow
from server.models.user import User

STATUSES = ("draft", "published", "in_progress", "closed")
ROLES = ("secretary", "chair", "delegate", "observer")


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (sa.CheckConstraint(f"status IN {STATUSES!r}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    organization: Mapped[str] = mapped_column(sa.String(300))
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whether participants may download ordinary documents as the original file (confidential ones: never).
    allow_downloads: Mapped[bool] = mapped_column(default=True)
    # Quorum: more than this percent of the voting members checked in (by default more than half).
    quorum_percent: Mapped[int] = mapped_column(default=50)
    # Whether members checked in online count for quorum (and, later, may vote).
    online_counts: Mapped[bool] = mapped_column(default=True)

    sites: Mapped[list["Site"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Site.position"
    )
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Participant.id"
    )


class Site(db.Model):
    """A connected location (điểm cầu) of the meeting."""

    __tablename__ = "sites"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)

    meeting: Mapped[Meeting] = relationship(back_populates="sites")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    # 0-based order; the number people see is position + 1.
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(500))
    presenter: Mapped[str] = mapped_column(sa.String(300), default="")
    planned_minutes: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    @property
    def number(self) -> int:
        return self.position + 1


class Participant(db.Model):
    """An invited person's role in one meeting."""

    __tablename__ = "participants"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    can_vote: Mapped[bool] = mapped_column(default=False)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()
    site: Mapped[Site | None] = relationship()
