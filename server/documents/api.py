"""JSON API for documents, and the page images themselves."""
from __future__ import annotations

import io

from flask import Blueprint, request, send_file
from flask_babel import gettext as _
from flask_login import login_required

from server.api.helpers import json_body, user
from server.documents import service
from server.documents.serializers import document_json, version_json
from server.errors import Invalid
from server.meetings.service import get_meeting
from server.users.serializers import user_json

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")

YEAR = 365 * 24 * 3600


def _upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename and not upload.content_length:
        raise Invalid(_("Choose a file to upload."), field="file", code="file_missing")
    return upload


@bp.get("/meetings/<int:meeting_id>/documents")
@login_required
def meeting_documents(meeting_id: int):
    meeting = get_meeting(user(), meeting_id)
    return {"agenda_items": [{"id": item.id, "number": item.number, "title": item.title,
                              "documents": [document_json(d, user(), pages=False) for d in item.documents]}
                             for item in meeting.items]}


@bp.get("/agenda-items/<int:item_id>/documents")
@login_required
def item_documents(item_id: int):
    return {"documents": [document_json(d, user(), pages=False) for d in service.item_documents(user(), item_id)]}


@bp.post("/agenda-items/<int:item_id>/documents")
@login_required
def upload(item_id: int):
    file = _upload()
    document = service.upload_document(user(), item_id, file.stream, file.filename or "", request.form.to_dict())
    return document_json(document, user()), 202


@bp.get("/documents/<int:document_id>")
@login_required
def get_document(document_id: int):
    return document_json(service.get_document(user(), document_id), user())


@bp.patch("/documents/<int:document_id>")
@login_required
def update_document(document_id: int):
    return document_json(service.update_document(user(), document_id, json_body()), user())


@bp.delete("/documents/<int:document_id>")
@login_required
def delete_document(document_id: int):
    service.delete_document(user(), document_id)
    return "", 204


@bp.post("/documents/<int:document_id>/versions")
@login_required
def replace(document_id: int):
    file = _upload()
    return document_json(service.replace_document(user(), document_id, file.stream, file.filename or ""), user()), 202


@bp.get("/document-versions/<int:version_id>")
@login_required
def get_version(version_id: int):
    return version_json(service.get_version(user(), version_id))


@bp.get("/document-versions/<int:version_id>/pages/<int:number>/<kind>")
@login_required
def page_image(version_id: int, number: int, kind: str):
    image = service.page_image(user(), version_id, number, kind, remote_addr=request.remote_addr or "")
    if image.confidential:
        # Watermarked for this viewer: kept by the viewer's browser only, and only briefly.
        response = send_file(io.BytesIO(image.data), mimetype="image/jpeg", max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response = send_file(image.path, mimetype="image/jpeg", etag=image.etag, conditional=True, max_age=YEAR)
    # A version's pages never change, but every request is still checked: cache privately, for good.
    response.headers["Cache-Control"] = f"private, max-age={YEAR}, immutable"
    return response


@bp.get("/documents/<int:document_id>/file")
@login_required
def download(document_id: int):
    version_id = request.args.get("version_id", type=int)
    path, name = service.original_file(user(), document_id, version_id)
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name,
                         conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.put("/documents/<int:document_id>/reading")
@login_required
def record_reading(document_id: int):
    read = service.record_reading(user(), document_id, json_body().get("page"))
    return {"last_page": read.last_page, "max_page": read.max_page}


@bp.get("/documents/<int:document_id>/readers")
@login_required
def readers(document_id: int):
    document = service.get_document(user(), document_id)
    rows = service.reading_report(user(), document_id)
    pages = document.current.page_count
    return {"page_count": pages, "readers": [
        {"user": user_json(r["participant"].user), "role": r["participant"].role,
         "opened": r["read"] is not None,
         "first_opened_at": r["read"].first_opened_at.isoformat() if r["read"] else None,
         "last_read_at": r["read"].last_read_at.isoformat() if r["read"] else None,
         "max_page": r["read"].max_page if r["read"] else 0,
         "percent": round(100 * min(r["read"].max_page, pages) / pages) if r["read"] and pages else 0}
        for r in rows]}
