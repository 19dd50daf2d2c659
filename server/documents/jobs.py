"""The background rendering job: runs render_pages() for one version, records progress, publishes it live.

Started with socketio.start_background_task, so it is a green thread under eventlet (pdftoppm runs in its own
processes and never blocks the event loop) and a real thread elsewhere."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, current_app

from server.documents import poppler, storage
from server.documents.messages import error_message
from server.documents.render import RenderError, Settings, render_pages
from server.extensions import db, socketio
from server.models import DocumentVersion, Participant
from server.models.types import utcnow
from server.realtime.broadcast import publish, user_room

log = logging.getLogger(__name__)


def settings() -> Settings:
    cfg = current_app.config
    return Settings(poppler_path=str(poppler.wrapper_dir()), workers=cfg["RENDER_WORKERS"],
                    chunk_pages=cfg["RENDER_CHUNK_PAGES"], timeout_per_page=cfg["RENDER_TIMEOUT_PER_PAGE"])


def progress_payload(version: DocumentVersion) -> dict:
    document = version.document
    return {"document_id": document.id, "version_id": version.id, "agenda_item_id": document.agenda_item_id,
            "status": version.status, "pages_ready": version.pages_ready, "page_count": version.page_count,
            # In the server's default language: one event goes to several people; GET /documents/{id} answers in
            # each reader's own.
            "error": ({"code": version.error_code, "message": error_message(version.error_code)}
                      if version.status == "failed" else None)}


def announce(version: DocumentVersion) -> None:
    """Progress to the meeting's secretaries and chairs (their own rooms), and the state change to the meeting."""
    document = version.document
    meeting_id = document.agenda_item.meeting_id
    payload = progress_payload(version)
    organisers = db.session.scalars(sa.select(Participant.user_id).where(
        Participant.meeting_id == meeting_id, Participant.role.in_(("secretary", "chair"))))
    for user_id in organisers:
        try:
            socketio.emit("document_progress", payload, to=user_room(user_id))
        except Exception:
            log.exception("could not send progress")
    if version.status != "processing":
        publish(meeting_id, "document_changed", payload)


def start(app: Flask, version_id: int) -> None:
    socketio.start_background_task(run, app, version_id)


def run(app: Flask, version_id: int) -> None:
    with app.app_context():
        version = db.session.get(DocumentVersion, version_id)
        if version is None or version.status != "processing":
            return
        pdf = storage.blob_path(version.sha256)
        out_dir = storage.pages_dir(version.sha256)
        sizes = version.sizes()

        def on_progress(done: list[int]) -> None:
            # Counted on disk, so a resumed job and two versions sharing pages agree.
            ready = sum(1 for n in range(1, len(sizes) + 1) if (out_dir / f"{n}.view.jpg").exists()
                        and (out_dir / f"{n}.thumb.jpg").exists())
            db.session.execute(sa.update(DocumentVersion).where(DocumentVersion.id == version_id)
                               .values(pages_ready=ready))
            db.session.commit()
            db.session.refresh(version)
            announce(version)

        try:
            render_pages(pdf, sizes, out_dir, settings(), on_progress)
        except Exception as exc:  # any failure ends as a failed document with a reason, never stuck
            code = exc.code if isinstance(exc, RenderError) else "render_failed"
            log.exception("rendering version %s failed", version_id)
            db.session.rollback()
            version = db.session.get(DocumentVersion, version_id)
            version.status = "failed"
            version.error_code = code
            version.error_message = str(exc)[:500]  # the technical detail, for the logs; people see error_code's text
            db.session.commit()
            announce(version)
            return
        version.status = "ready"
        version.pages_ready = version.page_count
        version.rendered_at = utcnow()
        db.session.commit()
        log.info("version %s rendered: %s pages", version_id, version.page_count)
        announce(version)


def resume_all(app: Flask) -> int:
    """At start-up: every version left processing by a crash is rendered again from where it stopped."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(DocumentVersion.id).where(DocumentVersion.status == "processing")))
        for version_id in ids:
            version = db.session.get(DocumentVersion, version_id)
            if not storage.blob_path(version.sha256).exists():
                version.status = "failed"
                version.error_code = "file_missing"
                version.error_message = f"missing {storage.blob_path(version.sha256)}"[:500]
                db.session.commit()
                continue
            start(app, version_id)
        if ids:
            log.info("resuming rendering of %d document versions", len(ids))
        return len(ids)
