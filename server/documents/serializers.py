"""Documents and their versions as JSON, with the URL of every page image."""
from __future__ import annotations

from flask import url_for

from server.documents import storage
from server.documents.messages import confidentiality_label, error_message
from server.models import Document, DocumentVersion
from server.permissions import role_in


def page_urls(version: DocumentVersion, number: int) -> dict:
    return {kind: url_for("documents_api.page_image", version_id=version.id, number=number, kind=kind)
            for kind in ("thumb", "view", "hd")}


def version_json(version: DocumentVersion, *, pages: bool = True) -> dict:
    data = {
        "id": version.id, "number": version.number, "status": version.status, "page_count": version.page_count,
        "pages_ready": version.pages_ready, "original_name": version.original_name,
        "source_kind": version.source_kind, "size_bytes": version.size_bytes,
        "created_at": version.created_at.isoformat(),
        "error": ({"code": version.error_code or "render_failed", "message": error_message(version.error_code)}
                  if version.status == "failed" else None),
    }
    if pages:
        out_dir = storage.pages_dir(version.sha256)
        done = version.status == "ready"
        data["pages"] = [
            {"number": n, "width_pt": w, "height_pt": h,
             "ready": done or ((out_dir / f"{n}.view.jpg").exists() and (out_dir / f"{n}.thumb.jpg").exists()),
             **page_urls(version, n)}
            for n, (w, h) in enumerate(version.sizes(), start=1)]
    return data


def document_json(document: Document, viewer, *, pages: bool = True) -> dict:
    meeting = document.agenda_item.meeting
    current = document.current
    downloadable = not document.is_confidential and (meeting.allow_downloads or role_in(viewer, meeting) == "secretary")
    data = {
        "id": document.id, "title": document.title, "agenda_item_id": document.agenda_item_id,
        "meeting_id": meeting.id, "confidentiality": document.confidentiality,
        "confidentiality_label": confidentiality_label(document.confidentiality),
        "downloadable": downloadable,
        "download_url": url_for("documents_api.download", document_id=document.id) if downloadable else None,
        "versions": [version_json(v, pages=False) for v in document.versions],
        # The current version, flattened: what a tablet shows.
        "version_id": current.id, "version_number": current.number,
        **{k: v for k, v in version_json(current, pages=pages).items() if k not in ("id", "number")},
    }
    return data
