"""Agenda documents: upload, replace, remove, serve pages, track reading. One function per state change.

Checks run before anything is kept: size, type from the content, the PDF opens, no password, page count, page sizes.
A refused upload leaves nothing behind."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from server import validation as v
from server.concurrency import off_the_event_loop
from server.documents import convert, jobs, storage, watermark
from server.documents.messages import confidentiality_label
from server.documents.inspect import inspect_pdf, sniff
from server.documents.render import render_hd
from server.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.meetings.service import editable_meeting, get_meeting
from server.models import (CONFIDENTIALITY, AgendaItem, Document, DocumentRead, DocumentVersion, Meeting, PageView,
                           User)
from server.models.types import utcnow
from server.permissions import role_in
from server.realtime.broadcast import publish

log = logging.getLogger(__name__)
PAGE_KINDS = ("thumb", "view", "hd")


class TooLarge(AppError):
    status = 413
    code = "file_too_large"


# ---- loading and access --------------------------------------------------------------------------------------------

def _meeting_of(document: Document) -> Meeting:
    return document.agenda_item.meeting


def get_document(user: User, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound()
    get_meeting(user, document.agenda_item.meeting_id)  # NotFound unless the user may see the meeting
    return document


def get_version(user: User, version_id: int) -> DocumentVersion:
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        raise NotFound()
    get_document(user, version.document_id)
    return version


def item_documents(user: User, item_id: int) -> list[Document]:
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    get_meeting(user, item.meeting_id)
    return list(item.documents)


def _editable_document(user: User, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound()
    editable_meeting(user, document.agenda_item.meeting_id)
    return document


# ---- receiving a file ----------------------------------------------------------------------------------------------

@dataclass
class Received:
    source_sha256: str
    sha256: str
    kind: str
    size: int
    sizes: list[tuple[float, float]]


def _receive(stream, original_name: str) -> Received:
    """Checks an upload completely and keeps it; raises (keeping nothing) when it is refused."""
    cfg = current_app.config
    max_bytes = cfg["DOCUMENT_MAX_MB"] * 1024 * 1024
    try:
        temp, source_sha, size = storage.receive(stream, max_bytes)
    except storage.TooLarge:
        raise TooLarge(_("The file is larger than %(n)d MB.", n=cfg["DOCUMENT_MAX_MB"])) from None
    pdf = None
    try:
        if size == 0:
            raise Invalid(_("The file is empty."), code="file_empty")
        kind = sniff(temp)
        if kind == "pdf":
            pdf = temp
        elif kind in ("jpeg", "png"):
            pdf = convert.image_to_pdf(temp)
        elif kind == "office":
            pdf = convert.office_to_pdf(temp)
        else:
            raise Invalid(_("This type of file is not supported. Upload a PDF, a scanned image (JPEG, PNG) or an "
                            "Office document."), code="unsupported_type")
        facts = inspect_pdf(pdf, max_pages=cfg["DOCUMENT_MAX_PAGES"], max_side_points=cfg["DOCUMENT_MAX_SIDE_POINTS"])
        pdf_sha = source_sha if pdf is temp else storage.sha256_of(pdf)
        if pdf is not temp:
            storage.keep(pdf, pdf_sha)
        storage.keep(temp, source_sha)
        return Received(source_sha, pdf_sha, "pdf" if kind == "pdf" else ("image" if kind in ("jpeg", "png")
                                                                          else "office"), size, facts.sizes)
    finally:
        for path in (temp, pdf):
            if path is not None and path.exists() and path.parent == storage.tmp_dir():
                path.unlink(missing_ok=True)


def _new_version(document: Document, received: Received, original_name: str, user: User) -> DocumentVersion:
    number = (document.versions[-1].number + 1) if document.versions else 1
    version = DocumentVersion(
        number=number, sha256=received.sha256, source_sha256=received.source_sha256, source_kind=received.kind,
        original_name=(original_name or "")[:255], size_bytes=received.size, page_count=len(received.sizes),
        page_sizes=";".join(f"{w:g},{h:g}" for w, h in received.sizes), uploaded_by_id=user.id,
        status="processing")
    document.versions.append(version)
    out_dir = storage.pages_dir(received.sha256)
    if all((out_dir / f"{n}.view.jpg").exists() and (out_dir / f"{n}.thumb.jpg").exists()
           for n in range(1, version.page_count + 1)):
        # The same content was rendered before: nothing to do.
        version.status, version.pages_ready, version.rendered_at = "ready", version.page_count, utcnow()
    return version


def _title_from(original_name: str) -> str:
    stem = Path(original_name or "").stem.replace("_", " ").strip()
    return stem[:300] or _("Document")


def upload_document(user: User, item_id: int, stream, original_name: str, data: dict) -> Document:
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    editable_meeting(user, item.meeting_id)
    title = v.text(data, "title", _("Document title"), max_len=300) or _title_from(original_name)
    level = v.choice(data, "confidentiality", _("Confidentiality"), CONFIDENTIALITY, default="none")
    if len(item.documents) >= 50:
        raise Invalid(_("An agenda item can have at most 50 documents."))
    received = _receive(stream, original_name)
    document = Document(title=title, confidentiality=level, position=len(item.documents))
    item.documents.append(document)
    version = _new_version(document, received, original_name, user)
    db.session.commit()
    log.info("document %s (%s pages) uploaded to item %s by %s", document.id, version.page_count, item.id,
             user.username)
    _after_upload(version)
    return document


def replace_document(user: User, document_id: int, stream, original_name: str) -> Document:
    """A new version; the old one, and what was written on it, stays reachable."""
    document = _editable_document(user, document_id)
    received = _receive(stream, original_name)
    version = _new_version(document, received, original_name, user)
    db.session.commit()
    log.info("document %s replaced by version %s by %s", document.id, version.number, user.username)
    _after_upload(version)
    return document


def _after_upload(version: DocumentVersion) -> None:
    jobs.announce(version)
    if version.status == "processing":
        jobs.start(current_app._get_current_object(), version.id)


def update_document(user: User, document_id: int, data: dict) -> Document:
    document = _editable_document(user, document_id)
    if "title" in data:
        document.title = v.text(data, "title", _("Document title"), required=True, max_len=300)
    if "confidentiality" in data:
        document.confidentiality = v.choice(data, "confidentiality", _("Confidentiality"), CONFIDENTIALITY)
    db.session.commit()
    publish(document.agenda_item.meeting_id, "document_changed", {"document_id": document.id})
    return document


def delete_document(user: User, document_id: int) -> None:
    document = _editable_document(user, document_id)
    meeting = _meeting_of(document)
    if meeting.status in ("in_progress", "closed"):
        raise Conflict(_("Documents cannot be removed once the meeting has started."), code="meeting_started")
    item = document.agenda_item
    item.documents.remove(document)
    for position, other in enumerate(item.documents):
        other.position = position
    db.session.commit()
    publish(meeting.id, "document_changed", {"document_id": document_id, "removed": True})


# ---- serving pages -------------------------------------------------------------------------------------------------

@dataclass
class PageImage:
    path: Path | None
    data: bytes | None
    confidential: bool
    etag: str


def page_image(user: User, version_id: int, number: int, kind: str, *, remote_addr: str = "") -> PageImage:
    version = get_version(user, version_id)
    document = version.document
    if kind not in PAGE_KINDS or not 1 <= number <= version.page_count:
        raise NotFound()
    out_dir = storage.pages_dir(version.sha256)
    if kind == "hd":
        if version.status != "ready":
            raise Conflict(_("The document is still being prepared."), code="not_ready")
        path = render_hd(storage.blob_path(version.sha256), number, version.sizes(), out_dir, jobs.settings())
    else:
        path = out_dir / f"{number}.{kind}.jpg"
        if not path.exists():
            raise NotFound(_("This page is not ready yet."), code="page_not_ready")
    etag = f"{version.sha256[:20]}-{number}-{kind}"
    if not document.is_confidential:
        return PageImage(path, None, False, etag)
    meeting = _meeting_of(document)
    db.session.add(PageView(version_id=version.id, user_id=user.id, page=number, size=kind,
                            remote_addr=(remote_addr or "")[:64]))
    db.session.commit()
    data = off_the_event_loop(watermark.stamp, path, viewer=user.full_name, meeting=meeting.title,
                              level=confidentiality_label(document.confidentiality), at=utcnow())
    return PageImage(None, data, True, etag)


def original_file(user: User, document_id: int, version_id: int | None = None) -> tuple[Path, str]:
    """The PDF to download, unless the document is confidential or the meeting forbids downloads."""
    document = get_document(user, document_id)
    meeting = _meeting_of(document)
    if document.is_confidential:
        raise Forbidden(_("Confidential documents can only be read on screen; they cannot be downloaded."),
                        code="confidential")
    if not meeting.allow_downloads and role_in(user, meeting) != "secretary":
        raise Forbidden(_("Downloading documents is turned off for this meeting."), code="downloads_off")
    version = document.current
    if version_id is not None:
        version = next((x for x in document.versions if x.id == version_id), None)
        if version is None:
            raise NotFound()
    name = Path(version.original_name or "document").stem or "document"
    return storage.blob_path(version.sha256), f"{name}.pdf"


# ---- reading -------------------------------------------------------------------------------------------------------

def record_reading(user: User, document_id: int, page) -> DocumentRead:
    document = get_document(user, document_id)
    page = v.integer({"page": page}, "page", _("Page"), required=True, minimum=1,
                     maximum=max(1, document.current.page_count))
    read = db.session.scalar(sa.select(DocumentRead).where(DocumentRead.document_id == document.id,
                                                           DocumentRead.user_id == user.id))
    now = utcnow()
    if read is None:
        read = DocumentRead(document_id=document.id, user_id=user.id, first_opened_at=now, last_page=page,
                            max_page=page, pages_seen=1)
        db.session.add(read)
    else:
        read.last_page = page
        if page > read.max_page:
            read.max_page = page
        read.pages_seen += 1
    read.last_read_at = now
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # two tablets of the same person opened it at once
        db.session.rollback()
        return record_reading(user, document_id, page)
    return read


def reading_report(user: User, document_id: int) -> list[dict]:
    """For the secretary and the chair: every participant but the secretaries, whether they opened the document and
    how far they read."""
    document = get_document(user, document_id)
    meeting = _meeting_of(document)
    if role_in(user, meeting) not in ("secretary", "chair"):
        raise Forbidden(_("Only the secretary and the chair can see who has read the documents."))
    reads = {r.user_id: r for r in db.session.scalars(
        sa.select(DocumentRead).where(DocumentRead.document_id == document.id))}
    rows = []
    for participant in meeting.participants:
        if participant.role == "secretary":
            continue
        read = reads.get(participant.user_id)
        rows.append({"participant": participant, "read": read})
    return rows
