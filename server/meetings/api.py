"""JSON API for meetings, agendas, sites and participants: parse, call the service, serialize."""
from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from server.api.helpers import json_body, user
from server.meetings import service
from server.meetings.serializers import item_json, meeting_json, meeting_summary_json, participant_json, site_json

bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1")


@bp.get("/meetings")
@login_required
def list_meetings():
    return {"meetings": [meeting_summary_json(m, p.role) for m, p in service.list_meetings(user())]}


@bp.post("/meetings")
@login_required
def create_meeting():
    return meeting_json(service.create_meeting(user(), json_body()), user()), 201


@bp.get("/meetings/<int:meeting_id>")
@login_required
def get_meeting(meeting_id: int):
    return meeting_json(service.get_meeting(user(), meeting_id), user())


@bp.patch("/meetings/<int:meeting_id>")
@login_required
def update_meeting(meeting_id: int):
    return meeting_json(service.update_meeting(user(), meeting_id, json_body()), user())


@bp.delete("/meetings/<int:meeting_id>")
@login_required
def delete_meeting(meeting_id: int):
    service.delete_meeting(user(), meeting_id)
    return "", 204


@bp.put("/meetings/<int:meeting_id>/status")
@login_required
def set_status(meeting_id: int):
    body = json_body()
    return meeting_json(service.set_meeting_status(user(), meeting_id, body.get("status")), user())


@bp.post("/meetings/<int:meeting_id>/agenda-items")
@login_required
def add_item(meeting_id: int):
    return item_json(service.add_item(user(), meeting_id, json_body())), 201


@bp.put("/meetings/<int:meeting_id>/agenda-order")
@login_required
def reorder_items(meeting_id: int):
    meeting = service.reorder_items(user(), meeting_id, json_body().get("item_ids"))
    return {"agenda_items": [item_json(i) for i in meeting.items]}


@bp.patch("/agenda-items/<int:item_id>")
@login_required
def update_item(item_id: int):
    return item_json(service.update_item(user(), item_id, json_body()))


@bp.delete("/agenda-items/<int:item_id>")
@login_required
def delete_item(item_id: int):
    service.delete_item(user(), item_id)
    return "", 204


@bp.post("/meetings/<int:meeting_id>/sites")
@login_required
def add_site(meeting_id: int):
    return site_json(service.add_site(user(), meeting_id, json_body())), 201


@bp.delete("/sites/<int:site_id>")
@login_required
def remove_site(site_id: int):
    service.remove_site(user(), site_id)
    return "", 204


@bp.post("/meetings/<int:meeting_id>/participants")
@login_required
def invite_participant(meeting_id: int):
    return participant_json(service.invite_participant(user(), meeting_id, json_body())), 201


@bp.patch("/participants/<int:participant_id>")
@login_required
def update_participant(participant_id: int):
    return participant_json(service.update_participant(user(), participant_id, json_body()))


@bp.delete("/participants/<int:participant_id>")
@login_required
def remove_participant(participant_id: int):
    service.remove_participant(user(), participant_id)
    return "", 204
