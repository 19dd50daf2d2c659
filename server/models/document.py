"""Agenda documents, their versions (a replacement keeps the old one), read tracking and the log of confidential views."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.meeting import AgendaItem
from server.models.types import UTCDateTime, utcnow
from server.models.user import User

# Văn bản mật: "mat" (Mật), "toi_mat" (Tối mật), "tuyet_mat" (Tuyệt mật); "none" for ordinary documents.
CONFIDENTIALITY = ("none", "mat", "toi_mat", "tuyet_mat")
VERSION_STATUSES = ("processing", "ready", "failed")


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (sa.CheckConstraint(f"confidentiality IN {CONFIDENTIALITY!r}", name="confidentiality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    confidentiality: Mapped[str] = mapped_column(sa.String(16), default="none")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agenda_item: Mapped[AgendaItem] = relationship(backref=sa.orm.backref(
        "documents", cascade="all, delete-orphan", order_by="Document.position"))
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.number")

    @property
    def current(self) -> "DocumentVersion":
        return self.versions[-1]

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != "none"


class DocumentVersion(db.Model):
    """One uploaded file and its rendered pages. Files live under UPLOAD_FOLDER, named by the server only."""

    __tablename__ = "document_versions"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "number"),
        sa.CheckConstraint(f"status IN {VERSION_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    # SHA-256 of the PDF that is rendered (the original itself, or its conversion); the file is kept once by it.
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    source_kind: Mapped[str] = mapped_column(sa.String(16))  # pdf, image, office
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")  # shown to people, never used as a path
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="processing")
    page_count: Mapped[int] = mapped_column(default=0)
    pages_ready: Mapped[int] = mapped_column(default=0)
    # Page sizes in points, "w,h;w,h;..." as pdfinfo reported them, so the viewer can lay out pages before they load.
    page_sizes: Mapped[str] = mapped_column(sa.Text, default="")
    error_code: Mapped[str | None] = mapped_column(sa.String(32))
    error_message: Mapped[str | None] = mapped_column(sa.String(500))  # technical detail; people see error_code's text
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    document: Mapped[Document] = relationship(back_populates="versions")

    def sizes(self) -> list[tuple[float, float]]:
        return [tuple(float(x) for x in part.split(",")) for part in self.page_sizes.split(";") if part]


class DocumentRead(db.Model):
    """How far one person has read one document (any version)."""

    __tablename__ = "document_reads"
    __table_args__ = (sa.UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_page: Mapped[int] = mapped_column(default=1)
    max_page: Mapped[int] = mapped_column(default=1)
    pages_seen: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship()


class PageView(db.Model):
    """Every view of a confidential page: who, which page, when, from where."""

    __tablename__ = "page_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    page: Mapped[int] = mapped_column()
    size: Mapped[str] = mapped_column(sa.String(8))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), default="")
