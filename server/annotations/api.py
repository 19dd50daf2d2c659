"""HTTP side of annotations: the same services as the socket events."""
from __future__ import annotations

import io

from flask import Blueprint, send_file
from flask_login import login_required

from server.annotations import service
from server.annotations.copy import annotated_copy
from server.api.helpers import json_body, user

bp = Blueprint("annotations_api", __name__, url_prefix="/api/v1")


@bp.get("/document-versions/<int:version_id>/annotations")
@login_required
def list_annotations(version_id: int):
    """One's own notes and everyone's shared notes on a version."""
    return {"annotations": [service.annotation_json(a) for a in service.list_annotations(user(), version_id)]}


@bp.put("/annotations/<annotation_id>")
@login_required
def save(annotation_id: str):
    return service.annotation_json(service.save_annotation(user(), {**json_body(), "id": annotation_id}))


@bp.delete("/annotations/<annotation_id>")
@login_required
def delete(annotation_id: str):
    service.delete_annotation(user(), annotation_id)
    return "", 204


@bp.put("/annotations/<annotation_id>/shared")
@login_required
def share(annotation_id: str):
    return service.annotation_json(service.share_annotation(user(), annotation_id, json_body().get("shared")))


@bp.put("/documents/<int:document_id>/annotations/shared")
@login_required
def share_all(document_id: int):
    return {"changed": service.share_all(user(), document_id, json_body().get("shared"))}


@bp.get("/documents/<int:document_id>/annotated-copy")
@login_required
def copy(document_id: int):
    data, name = annotated_copy(user(), document_id)
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
