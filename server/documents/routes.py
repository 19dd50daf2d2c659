"""Document pages: the tablet viewer. Thin: load through the services (NotFound for outsiders), render."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from server.documents import service
from server.documents.serializers import document_json
from server.errors import NotFound
from server.meetings.service import get_meeting
from server.permissions import role_in

bp = Blueprint("documents", __name__)


@bp.get("/meetings/<int:meeting_id>/documents/<int:document_id>")
@login_required
def viewer(meeting_id: int, document_id: int):
    me = current_user._get_current_object()
    meeting = get_meeting(me, meeting_id)
    document = service.get_document(me, document_id)
    if document.agenda_item.meeting_id != meeting.id:
        raise NotFound()
    page = request.args.get("page", default=1, type=int) or 1
    return render_template("documents/viewer.html", meeting=meeting, document=document_json(document, me),
                           item=document.agenda_item, start_page=max(1, page), my_role=role_in(me, meeting))
