"""HTTP side of the live room: the same services as the socket events (snapshot, attendance, wall links)."""
from __future__ import annotations

from flask import Blueprint, url_for
from flask_login import login_required

from server.api.helpers import json_body, user
from server.room import service

bp = Blueprint("room_api", __name__, url_prefix="/api/v1")


@bp.get("/meetings/<int:meeting_id>/room")
@login_required
def snapshot(meeting_id: int):
    return service.room_snapshot(user(), meeting_id)


@bp.post("/meetings/<int:meeting_id>/check-in")
@login_required
def check_in(meeting_id: int):
    return service.check_in(user(), meeting_id, json_body().get("status"))


@bp.put("/meetings/<int:meeting_id>/attendance/<int:participant_id>")
@login_required
def set_attendance(meeting_id: int, participant_id: int):
    return service.set_attendance(user(), meeting_id, {**json_body(), "participant_id": participant_id})


@bp.put("/meetings/<int:meeting_id>/quorum")
@login_required
def set_quorum(meeting_id: int):
    return service.set_quorum_rule(user(), meeting_id, json_body())


def _wall_json(token, raw: str | None = None) -> dict:
    data = {"id": token.id, "meeting_id": token.meeting_id, "created_at": token.created_at.isoformat(),
            "revoked": token.revoked_at is not None}
    if raw:  # shown once, when made: only its hash is kept
        data["token"] = raw
        data["url"] = url_for("room.wall", token=raw, _external=True)
    return data


@bp.get("/meetings/<int:meeting_id>/wall-links")
@login_required
def wall_links(meeting_id: int):
    return {"wall_links": [_wall_json(t) for t in service.wall_tokens(user(), meeting_id)]}


@bp.post("/meetings/<int:meeting_id>/wall-links")
@login_required
def create_wall_link(meeting_id: int):
    token, raw = service.create_wall_token(user(), meeting_id)
    return _wall_json(token, raw), 201


@bp.delete("/wall-links/<int:token_id>")
@login_required
def revoke_wall_link(token_id: int):
    service.revoke_wall_token(user(), token_id)
    return "", 204
