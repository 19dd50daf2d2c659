"""What people write on document pages: ink (with pen pressure), highlighter strokes and text notes.

Coordinates are fractions of the page (0..1), so a note lands in the same place at any resolution. The id is made by
the client, so a stroke resent after a reconnect is saved once."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.types import UTCDateTime, utcnow
from server.models.user import User

ANNOTATION_KINDS = ("ink", "highlight", "note")


class Annotation(db.Model):
    __tablename__ = "annotations"
    __table_args__ = (sa.CheckConstraint(f"kind IN {ANNOTATION_KINDS!r}", name="kind"),
                      sa.Index("ix_annotations_version_page", "version_id", "page"))

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("document_versions.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column()
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[str] = mapped_column(sa.Text)  # JSON, checked by the service
    shared: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # kept, so that undo can bring it back
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()
