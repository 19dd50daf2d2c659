"""The live room: one authoritative state per meeting (with a sequence number), attendance, the sockets connected,
and the wall screen's room links. Kept in the database so that several server processes share it and a restart
loses nothing."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.meeting import Meeting, Participant
from server.models.types import UTCDateTime, utcnow

ATTENDANCE = ("present", "online", "absent")


class RoomState(db.Model):
    __tablename__ = "room_states"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    # Raised by one for every change a tablet must apply; a client that sees a gap asks for a new snapshot.
    seq: Mapped[int] = mapped_column(default=0)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    # Whom the chair named to present; nobody named means the chair presents.
    presenter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    presenting: Mapped[bool] = mapped_column(default=False)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"))
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document_versions.id", ondelete="SET NULL"))
    page: Mapped[int] = mapped_column(default=1)
    zoom: Mapped[float] = mapped_column(default=1.0)
    scroll_x: Mapped[float] = mapped_column(default=0.0)  # 0..1 of the page, so it fits any screen
    scroll_y: Mapped[float] = mapped_column(default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()


class Attendance(db.Model):
    """Checked in (in the room or online) or absent with a reason; no row means not checked in yet."""

    __tablename__ = "attendances"
    __table_args__ = (sa.CheckConstraint(f"status IN {ATTENDANCE!r}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()


class RoomConnection(db.Model):
    """One live socket: whose, under which login, in which meeting, held by which server process."""

    __tablename__ = "room_connections"

    sid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    instance: Mapped[str] = mapped_column(sa.String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    login_session_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    wall_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wall_tokens.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ServerInstance(db.Model):
    """A running server process, seen recently: connections of a process that stopped are forgotten."""

    __tablename__ = "server_instances"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WallToken(db.Model):
    """A room link for the wall screen: no account, read-only, revocable by the secretary."""

    __tablename__ = "wall_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
