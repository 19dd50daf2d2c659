"""Annotations: saved, changed, deleted (and brought back by undo), shared one by one or all at once.

Private by default: the author sees them on every device; shared ones are seen by everyone in the meeting. Each change
is pushed after its commit: to the author's own devices, and to the meeting when the annotation is (or was) shared."""
from __future__ import annotations

import json
import logging
import re
import uuid

import sqlalchemy as sa
from flask_babel import gettext as _

from server import validation as v
from server.documents.service import get_document, get_version
from server.errors import Forbidden, Invalid, NotFound
from server.extensions import db, socketio
from server.models import ANNOTATION_KINDS, Annotation, Document, User
from server.models.types import utcnow
from server.realtime.broadcast import meeting_room, user_room

log = logging.getLogger(__name__)
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_POINTS = 5000
MAX_NOTE = 2000


def annotation_json(a: Annotation) -> dict:
    return {"id": a.id, "meeting_id": a.meeting_id, "document_id": a.document_id, "version_id": a.version_id,
            "page": a.page, "kind": a.kind, "shared": a.shared, "deleted": a.deleted_at is not None,
            "author": {"user_id": a.author_id, "full_name": a.author.full_name},
            "updated_at": a.updated_at.isoformat(), **json.loads(a.data)}


def _fraction(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise Invalid(_("Positions on the page must be between 0 and 1."), field=field, code="bad_position")
    return round(float(value), 5)


def _clean(kind: str, data: dict) -> dict:
    color = data.get("color", "#d32f2f" if kind == "ink" else "#ffeb3b")
    if not isinstance(color, str) or not COLOR.match(color):
        raise Invalid(_("The colour must look like #1a2b3c."), field="color")
    if kind == "note":
        text = v.text(data, "text", _("Note"), required=True, max_len=MAX_NOTE)
        return {"x": _fraction(data.get("x"), "x"), "y": _fraction(data.get("y"), "y"), "text": text, "color": color}
    points = data.get("points")
    if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS:
        raise Invalid(_("A stroke needs between 1 and %(n)d points.", n=MAX_POINTS), field="points")
    clean = []
    for point in points:
        if not isinstance(point, list) or len(point) not in (2, 3):
            raise Invalid(_("Each point is [x, y] or [x, y, pressure]."), field="points")
        clean.append([_fraction(c, "points") for c in point])
    width = data.get("width", 0.004 if kind == "ink" else 0.02)
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0.0005 <= width <= 0.1:
        raise Invalid(_("The stroke width is out of range."), field="width")
    return {"points": clean, "color": color, "width": float(width)}


def _push(a: Annotation, *, was_shared: bool = False) -> None:
    payload = annotation_json(a)
    socketio.emit("annotation", payload, to=user_room(a.author_id))  # the author's other devices
    if a.shared or was_shared:
        # Others hear of it while shared, and once more when it stops being shared (so they drop it).
        visible = payload if a.shared else {**payload, "deleted": True}
        socketio.emit("annotation", visible, to=meeting_room(a.meeting_id))


def list_annotations(user: User, version_id: int) -> list[Annotation]:
    version = get_version(user, version_id)
    return list(db.session.scalars(sa.select(Annotation).where(
        Annotation.version_id == version.id, Annotation.deleted_at.is_(None),
        sa.or_(Annotation.author_id == user.id, Annotation.shared.is_(True))).order_by(Annotation.created_at)))


def save_annotation(user: User, data: dict) -> Annotation:
    """Create, or change one's own (same id): a resend after a reconnect is harmless, an undone delete comes back."""
    annotation_id = data.get("id")
    try:
        annotation_id = str(uuid.UUID(str(annotation_id)))
    except ValueError:
        raise Invalid(_("An annotation needs an id (a UUID made by the client)."), field="id") from None
    version = get_version(user, v.integer(data, "version_id", _("Version"), required=True))
    document = version.document
    page = v.integer(data, "page", _("Page"), required=True, minimum=1, maximum=version.page_count)
    kind = v.choice(data, "kind", _("Kind"), ANNOTATION_KINDS)
    content = json.dumps(_clean(kind, data), separators=(",", ":"))
    shared = v.boolean(data, "shared", False)
    existing = db.session.get(Annotation, annotation_id)
    if existing is not None and existing.author_id != user.id:
        raise Forbidden(_("You can only change your own notes."), code="not_author")
    was_shared = bool(existing and existing.shared)
    if existing is None:
        existing = Annotation(id=annotation_id, meeting_id=document.agenda_item.meeting_id, document_id=document.id,
                              author_id=user.id, created_at=utcnow())
        db.session.add(existing)
    existing.version_id, existing.page, existing.kind, existing.data = version.id, page, kind, content
    existing.shared, existing.deleted_at, existing.updated_at = shared, None, utcnow()
    db.session.commit()
    _push(existing, was_shared=was_shared)
    return existing


def _own(user: User, annotation_id: str) -> Annotation:
    annotation = db.session.get(Annotation, str(annotation_id or ""))
    if annotation is None:
        raise NotFound()
    get_document(user, annotation.document_id)  # still allowed to see the meeting at all
    if annotation.author_id != user.id:
        raise Forbidden(_("You can only change your own notes."), code="not_author")
    return annotation


def delete_annotation(user: User, annotation_id: str) -> Annotation:
    annotation = _own(user, annotation_id)
    if annotation.deleted_at is None:
        annotation.deleted_at = annotation.updated_at = utcnow()
        db.session.commit()
    _push(annotation, was_shared=annotation.shared)
    return annotation


def share_annotation(user: User, annotation_id: str, shared) -> Annotation:
    annotation = _own(user, annotation_id)
    was_shared = annotation.shared
    annotation.shared, annotation.updated_at = v.boolean({"shared": shared}, "shared"), utcnow()
    db.session.commit()
    _push(annotation, was_shared=was_shared)
    return annotation


def share_all(user: User, document_id: int, shared) -> int:
    """All of one's notes on a document (every version) shared, or made private again, at once."""
    document = get_document(user, document_id)
    shared = v.boolean({"shared": shared}, "shared")
    rows = list(db.session.scalars(sa.select(Annotation).where(
        Annotation.document_id == document.id, Annotation.author_id == user.id, Annotation.deleted_at.is_(None),
        Annotation.shared.is_(not shared))))
    for row in rows:
        row.shared, row.updated_at = shared, utcnow()
    db.session.commit()
    for row in rows:
        _push(row, was_shared=not shared)
    return len(rows)


def own_annotations(user: User, document: Document, version_id: int) -> list[Annotation]:
    return list(db.session.scalars(sa.select(Annotation).where(
        Annotation.version_id == version_id, Annotation.author_id == user.id, Annotation.deleted_at.is_(None))
        .order_by(Annotation.created_at)))
