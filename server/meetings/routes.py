"""Meeting pages: the list, a meeting with its agenda, sites and participants, and the forms that change them.

Thin: parse the form, call the service, flash, redirect (POST/redirect/GET). A refused change re-renders the same page
with the message next to the form and what the person typed, with the error's status; the service changed nothing.
NotFound and Forbidden are not re-rendered: they go to the error page (a stranger must not learn a meeting exists).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from server.documents import service as documents_service
from server.documents.serializers import document_json
from server.errors import AppError, Forbidden, Invalid, NotFound
from server.i18n import local_input
from server.meetings import service
from server.models import ROLES
from server.permissions import can_create_meeting, can_edit_meeting, can_set_status, role_in
from server.users import service as users_service

bp = Blueprint("meetings", __name__)

MEETING_FIELDS = ("title", "organization", "location", "starts_at", "description", "allow_downloads")
ITEM_FIELDS = ("title", "presenter", "planned_minutes", "description")


def _me():
    return current_user._get_current_object()


def _form(name: str, exc: AppError | None = None, values: dict | None = None) -> dict:
    """What a template needs to redraw one form: its name, the values shown and the error, if any."""
    return {
        "name": name,
        "values": values if values is not None else request.form.to_dict(),
        "message": str(exc.message) if exc else None,
        "field": exc.field if exc else None,
    }


def _refuse_quietly(exc: AppError) -> None:
    # Not re-rendered next to a form: the page itself is not theirs to see or change.
    if isinstance(exc, (NotFound, Forbidden)):
        raise exc


def _checkboxes(data: dict, *names: str) -> dict:
    """An unticked box is not sent at all; say "no" explicitly so that unticking changes something."""
    for name in names:
        data[name] = "1" if request.form.get(name) else "0"
    return data


def _find(things, thing_id: int):
    for thing in things:
        if thing.id == thing_id:
            return thing
    raise NotFound()


def _detail_url(meeting_id: int, anchor: str | None = None) -> str:
    return url_for("meetings.detail", meeting_id=meeting_id, _anchor=anchor)


# ---- the list ------------------------------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    rows = service.list_meetings(_me())
    return render_template("meetings/index.html", rows=rows, can_create=can_create_meeting(_me()))


# ---- one meeting ---------------------------------------------------------------------------------------------------

def _render_detail(meeting_id: int, form: dict | None = None, status: int = 200):
    me = _me()
    meeting = service.get_meeting(me, meeting_id)
    editable = can_edit_meeting(me, meeting)
    invitable = []
    if editable:
        invited = {p.user_id for p in meeting.participants}
        invitable = [u for u in users_service.directory(me) if u.id not in invited]
    actions = [s for s in service.TRANSITIONS[meeting.status] if can_set_status(me, meeting, s)]
    # Each item's documents as the API shows them (status, pages, labels, translated failure message).
    documents = {item.id: [document_json(d, me, pages=False) for d in documents_service.item_documents(me, item.id)]
                 for item in meeting.items}
    return render_template(
        "meetings/detail.html", meeting=meeting, my_role=role_in(me, meeting), can_edit=editable,
        status_actions=actions, invitable=invitable, roles=ROLES, form=form, documents=documents,
    ), status


@bp.get("/meetings/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    return _render_detail(meeting_id)


def _render_meeting_form(meeting=None, form: dict | None = None, status: int = 200):
    if form is None:
        values = {name: getattr(meeting, name) for name in MEETING_FIELDS} if meeting else {}
        if meeting:
            values["starts_at"] = local_input(meeting.starts_at)
        form = _form("meeting", values=values)
    return render_template("meetings/form.html", meeting=meeting, form=form), status


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_meeting(_me()):
        raise Forbidden(_("You are not allowed to create meetings."))
    if request.method == "GET":
        return _render_meeting_form()
    data = _checkboxes(request.form.to_dict(), "allow_downloads")
    try:
        meeting = service.create_meeting(_me(), data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_meeting_form(form=_form("meeting", exc, values=data), status=exc.status)
    flash(_("The meeting was created. Now add its agenda and invite the participants."), "success")
    return redirect(_detail_url(meeting.id))


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = service.get_meeting(_me(), meeting_id)
    if not can_edit_meeting(_me(), meeting):
        raise Forbidden(_("Only the meeting's secretary can change it."))
    if request.method == "GET":
        return _render_meeting_form(meeting)
    data = _checkboxes({name: request.form.get(name, "") for name in MEETING_FIELDS}, "allow_downloads")
    try:
        service.update_meeting(_me(), meeting_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_meeting_form(meeting, form=_form("meeting", exc, values=data), status=exc.status)
    flash(_("The meeting was saved."), "success")
    return redirect(_detail_url(meeting_id))


@bp.post("/meetings/<int:meeting_id>/delete")
@login_required
def delete(meeting_id: int):
    try:
        service.delete_meeting(_me(), meeting_id)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("status", exc), exc.status)
    flash(_("The meeting was deleted."), "success")
    return redirect(url_for("meetings.index"))


@bp.post("/meetings/<int:meeting_id>/status")
@login_required
def set_status(meeting_id: int):
    target = request.form.get("status", "")
    try:
        meeting = service.set_meeting_status(_me(), meeting_id, target)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("status", exc), exc.status)
    messages = {
        "published": _("The meeting was published. Participants can now see it."),
        "draft": _("The meeting is a draft again. Only secretaries can see it."),
        "in_progress": _("The meeting has started."),
        "closed": _("The meeting was closed."),
    }
    flash(messages[meeting.status], "success")
    return redirect(_detail_url(meeting_id))


# ---- agenda --------------------------------------------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/items")
@login_required
def add_item(meeting_id: int):
    data = {name: request.form.get(name, "") for name in ITEM_FIELDS}
    try:
        item = service.add_item(_me(), meeting_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("item", exc), exc.status)
    flash(_("Agenda item %(number)d was added.", number=item.number), "success")
    return redirect(_detail_url(meeting_id, "agenda"))


def _meeting_item(meeting_id: int, item_id: int):
    meeting = service.get_meeting(_me(), meeting_id)
    return meeting, _find(meeting.items, item_id)


def _render_item_form(meeting, item, form: dict | None = None, status: int = 200):
    if form is None:
        form = _form("item", values={name: getattr(item, name) for name in ITEM_FIELDS})
    return render_template("meetings/item_form.html", meeting=meeting, item=item, form=form), status


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    meeting, item = _meeting_item(meeting_id, item_id)
    if not can_edit_meeting(_me(), meeting):
        raise Forbidden(_("Only the meeting's secretary can change it."))
    if request.method == "GET":
        return _render_item_form(meeting, item)
    data = {name: request.form.get(name, "") for name in ITEM_FIELDS}
    try:
        service.update_item(_me(), item_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_item_form(meeting, item, _form("item", exc), exc.status)
    flash(_("Agenda item %(number)d was saved.", number=item.number), "success")
    return redirect(_detail_url(meeting_id, f"item-{item_id}"))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/delete")
@login_required
def delete_item(meeting_id: int, item_id: int):
    _meeting_item(meeting_id, item_id)
    try:
        service.delete_item(_me(), item_id)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("agenda", exc), exc.status)
    flash(_("The agenda item was deleted."), "success")
    return redirect(_detail_url(meeting_id, "agenda"))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/move")
@login_required
def move_item(meeting_id: int, item_id: int):
    """Up or down one place: the keyboard and no-JavaScript alternative to dragging."""
    _meeting_item(meeting_id, item_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    try:
        if offset is None:
            raise Invalid(_("Choose whether to move the item up or down."), field="direction")
        service.move_item(_me(), item_id, offset)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("agenda", exc), exc.status)
    return redirect(_detail_url(meeting_id, f"item-{item_id}"))


# ---- sites ---------------------------------------------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/sites")
@login_required
def add_site(meeting_id: int):
    try:
        site = service.add_site(_me(), meeting_id, {"name": request.form.get("name", "")})
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("site", exc), exc.status)
    flash(_("The site %(name)s was added.", name=site.name), "success")
    return redirect(_detail_url(meeting_id, "sites"))


@bp.post("/meetings/<int:meeting_id>/sites/<int:site_id>/delete")
@login_required
def remove_site(meeting_id: int, site_id: int):
    meeting = service.get_meeting(_me(), meeting_id)
    site = _find(meeting.sites, site_id)
    name = site.name
    try:
        service.remove_site(_me(), site_id)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("sites", exc), exc.status)
    flash(_("The site %(name)s was removed.", name=name), "success")
    return redirect(_detail_url(meeting_id, "sites"))


# ---- participants --------------------------------------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/participants")
@login_required
def invite(meeting_id: int):
    data = {name: request.form.get(name, "") for name in ("user_id", "role", "site_id")}
    data = _checkboxes(data, "can_vote")
    try:
        participant = service.invite_participant(_me(), meeting_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form("invite", exc), exc.status)
    flash(_("%(name)s was invited.", name=participant.user.full_name), "success")
    return redirect(_detail_url(meeting_id, "participants"))


@bp.post("/meetings/<int:meeting_id>/participants/<int:participant_id>")
@login_required
def update_participant(meeting_id: int, participant_id: int):
    meeting = service.get_meeting(_me(), meeting_id)
    _find(meeting.participants, participant_id)
    data = {name: request.form.get(name, "") for name in ("role", "site_id")}
    data = _checkboxes(data, "can_vote")
    try:
        participant = service.update_participant(_me(), participant_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form(f"participant-{participant_id}", exc), exc.status)
    flash(_("The changes for %(name)s were saved.", name=participant.user.full_name), "success")
    return redirect(_detail_url(meeting_id, f"participant-{participant_id}"))


@bp.post("/meetings/<int:meeting_id>/participants/<int:participant_id>/delete")
@login_required
def remove_participant(meeting_id: int, participant_id: int):
    meeting = service.get_meeting(_me(), meeting_id)
    name = _find(meeting.participants, participant_id).user.full_name
    try:
        service.remove_participant(_me(), participant_id)
    except AppError as exc:
        _refuse_quietly(exc)
        return _render_detail(meeting_id, _form(f"participant-{participant_id}", exc), exc.status)
    flash(_("%(name)s was removed from the meeting.", name=name), "success")
    return redirect(_detail_url(meeting_id, "participants"))
