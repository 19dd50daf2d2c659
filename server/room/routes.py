"""Live room pages: the wall screen (no account, a room link) and the chair's console."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required

from server.documents.serializers import document_json
from server.errors import NotFound
from server.room import service

bp = Blueprint("room", __name__)


@bp.get("/meetings/<int:meeting_id>/console")
@login_required
def console(meeting_id: int):
    """The chair's (and secretary's) console: agenda, presenting, presenter, attendance and quorum."""
    me = current_user._get_current_object()
    snapshot = service.room_snapshot(me, meeting_id)
    if not snapshot["me"]["may_run"]:
        raise NotFound()  # as for a meeting one may not see: nothing leaks
    meeting = service.get_meeting(me, meeting_id)
    documents = {item.id: [document_json(d, me, pages=False) for d in item.documents] for item in meeting.items}
    return render_template("room/console.html", meeting=meeting, snapshot=snapshot, documents=documents)


@bp.get("/wall/<token>")
def wall(token: str):
    found = service.wall_token(token)
    if found is None:
        abort(404)
    snapshot = service.room_snapshot(None, found.meeting_id)
    return render_template("room/wall.html", token=token, snapshot=snapshot)


@bp.get("/wall/<token>/pages/<int:version_id>/<int:number>")
def wall_page(token: str, version_id: int, number: int):
    path = service.wall_page(token, version_id, number)
    response = send_file(path, mimetype="image/jpeg", conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"  # checked again each time: a revoked link stops at once
    return response
