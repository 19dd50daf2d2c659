"""Meetings, their sites, agenda items and participants: one function per state change.

Load, check access, change, commit, log, then publish. A meeting the user may not see is NotFound, never Forbidden,
so that its existence does not leak.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from server import validation as v
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import ROLES, AgendaItem, Meeting, Participant, Site, User
from server.models.types import utcnow
from server.permissions import (can_create_meeting, can_edit_meeting, can_set_status, can_view_meeting,
                                participation)
from server.realtime import connections
from server.realtime.broadcast import publish

log = logging.getLogger(__name__)

# status -> the statuses it may move to
TRANSITIONS = {
    "draft": ("published",),
    "published": ("draft", "in_progress"),
    "in_progress": ("closed",),
    "closed": (),
}


# ---- loading -------------------------------------------------------------------------------------------------------

def list_meetings(user: User) -> list[tuple[Meeting, Participant]]:
    rows = db.session.execute(
        sa.select(Meeting, Participant)
        .join(Participant, Participant.meeting_id == Meeting.id)
        .where(Participant.user_id == user.id)
        .where(sa.or_(Meeting.status != "draft", Participant.role == "secretary"))
        .order_by(Meeting.starts_at.desc())
    ).all()
    return [(m, p) for m, p in rows]


def get_meeting(user: User, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not can_view_meeting(user, meeting):
        raise NotFound()
    return meeting


def editable_meeting(user: User, meeting_id: int) -> Meeting:
    """The meeting, if this user may change it (its secretary, until it is closed); else NotFound/Forbidden/Conflict."""
    meeting = get_meeting(user, meeting_id)
    if not can_edit_meeting(user, meeting):
        if meeting.status == "closed" and participation(user, meeting).role == "secretary":
            raise Conflict(_("This meeting is closed and can no longer be changed."), code="meeting_closed")
        raise Forbidden(_("Only the meeting's secretary can change it."))
    return meeting


def _item(user: User, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound()
    editable_meeting(user, item.meeting_id)
    return item


def _changed(meeting: Meeting, what: str) -> None:
    db.session.commit()
    publish(meeting.id, "meeting_changed", {"meeting_id": meeting.id, "what": what})


# ---- the meeting itself --------------------------------------------------------------------------------------------

def _meeting_fields(data: dict, *, partial: bool) -> dict:
    fields = {}
    specs = [
        ("title", _("Title"), True, 300),
        ("organization", _("Organising body"), True, 300),
        ("location", _("Location"), False, 300),
        ("description", _("Description"), False, 5000),
    ]
    for name, label, required, max_len in specs:
        if partial and name not in data:
            continue
        value = v.text(data, name, label, required=required, max_len=max_len)
        fields[name] = value if value is not None else ""
    if not partial or "starts_at" in data:
        fields["starts_at"] = v.datetime_value(data, "starts_at", _("Start time"), required=True)
    if "allow_downloads" in data:
        fields["allow_downloads"] = v.boolean(data, "allow_downloads")
    return fields


def create_meeting(user: User, data: dict) -> Meeting:
    if not can_create_meeting(user):
        raise Forbidden(_("You are not allowed to create meetings."))
    meeting = Meeting(created_by_id=user.id, status="draft", **_meeting_fields(data, partial=False))
    meeting.participants.append(Participant(user_id=user.id, role="secretary", can_vote=False))
    db.session.add(meeting)
    db.session.commit()
    log.info("meeting %s created by %s", meeting.id, user.username)
    return meeting


def update_meeting(user: User, meeting_id: int, data: dict) -> Meeting:
    meeting = editable_meeting(user, meeting_id)
    for name, value in _meeting_fields(data, partial=True).items():
        setattr(meeting, name, value)
    _changed(meeting, "meeting")
    return meeting


def delete_meeting(user: User, meeting_id: int) -> None:
    meeting = editable_meeting(user, meeting_id)
    if meeting.status != "draft":
        raise Conflict(_("Only a draft meeting can be deleted."), code="not_draft")
    db.session.delete(meeting)
    db.session.commit()
    log.info("meeting %s deleted by %s", meeting_id, user.username)


def set_meeting_status(user: User, meeting_id: int, status: str) -> Meeting:
    """Publish, take back to draft, start or close: one path, checked against TRANSITIONS."""
    meeting = get_meeting(user, meeting_id)
    v.choice({"status": status}, "status", _("Status"), TRANSITIONS.keys())
    if not can_set_status(user, meeting, status):
        raise Forbidden(_("You may not change the status of this meeting."))
    if status not in TRANSITIONS[meeting.status]:
        raise Conflict(_("A meeting that is %(current)s cannot become %(target)s.",
                         current=status_label(meeting.status), target=status_label(status)), code="bad_transition")
    if status == "published" and not meeting.items:
        raise Conflict(_("Add at least one agenda item before publishing."), code="empty_agenda")
    if status == "in_progress" and not any(p.role == "chair" for p in meeting.participants):
        raise Conflict(_("Invite a chair before starting the meeting."), code="no_chair")
    meeting.status = status
    now = utcnow()
    if status == "published":
        meeting.published_at = now
    elif status == "in_progress":
        meeting.started_at = now
    elif status == "closed":
        meeting.closed_at = now
    _changed(meeting, "status")
    log.info("meeting %s is now %s (by %s)", meeting.id, status, user.username)
    return meeting


def status_label(status: str) -> str:
    return {
        "draft": _("draft"),
        "published": _("published"),
        "in_progress": _("in progress"),
        "closed": _("closed"),
    }.get(status, status)


# ---- agenda --------------------------------------------------------------------------------------------------------

def _item_fields(data: dict, *, partial: bool) -> dict:
    fields = {}
    if not partial or "title" in data:
        fields["title"] = v.text(data, "title", _("Item title"), required=True, max_len=500)
    if not partial or "presenter" in data:
        fields["presenter"] = v.text(data, "presenter", _("Presenter"), max_len=300) or ""
    if not partial or "description" in data:
        fields["description"] = v.text(data, "description", _("Description"), max_len=5000) or ""
    if not partial or "planned_minutes" in data:
        fields["planned_minutes"] = v.integer(data, "planned_minutes", _("Planned minutes"), minimum=1, maximum=600)
    return fields


def add_item(user: User, meeting_id: int, data: dict) -> AgendaItem:
    meeting = editable_meeting(user, meeting_id)
    if len(meeting.items) >= 200:
        raise Invalid(_("An agenda can have at most 200 items."))
    item = AgendaItem(position=len(meeting.items), **_item_fields(data, partial=False))
    meeting.items.append(item)
    _changed(meeting, "agenda")
    return item


def update_item(user: User, item_id: int, data: dict) -> AgendaItem:
    item = _item(user, item_id)
    for name, value in _item_fields(data, partial=True).items():
        setattr(item, name, value)
    _changed(item.meeting, "agenda")
    return item


def delete_item(user: User, item_id: int) -> Meeting:
    item = _item(user, item_id)
    meeting = item.meeting
    meeting.items.remove(item)
    for position, other in enumerate(meeting.items):
        other.position = position
    _changed(meeting, "agenda")
    return meeting


def reorder_items(user: User, meeting_id: int, item_ids) -> Meeting:
    """The agenda in a new order; item_ids must name every item exactly once."""
    meeting = editable_meeting(user, meeting_id)
    current = {item.id: item for item in meeting.items}
    if (not isinstance(item_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in item_ids)
            or sorted(item_ids) != sorted(current)):
        raise Invalid(_("The new order must list every agenda item of this meeting exactly once."), field="item_ids")
    for position, item_id in enumerate(item_ids):
        current[item_id].position = position
    db.session.flush()
    db.session.expire(meeting, ["items"])
    _changed(meeting, "agenda")
    return meeting


def move_item(user: User, item_id: int, offset: int) -> Meeting:
    """One step up (-1) or down (+1): the keyboard and no-JavaScript alternative to dragging."""
    item = _item(user, item_id)
    ids = [i.id for i in item.meeting.items]
    index = ids.index(item.id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return reorder_items(user, item.meeting_id, ids)


# ---- sites (điểm cầu) ----------------------------------------------------------------------------------------------

def add_site(user: User, meeting_id: int, data: dict) -> Site:
    meeting = editable_meeting(user, meeting_id)
    name = v.text(data, "name", _("Site name"), required=True, max_len=200)
    if any(s.name.lower() == name.lower() for s in meeting.sites):
        raise Conflict(_("This meeting already has a site named %(name)s.", name=name), field="name")
    site = Site(name=name, position=len(meeting.sites))
    meeting.sites.append(site)
    _changed(meeting, "sites")
    return site


def remove_site(user: User, site_id: int) -> Meeting:
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound()
    meeting = editable_meeting(user, site.meeting_id)
    for p in meeting.participants:
        if p.site_id == site.id:
            p.site_id = None
    meeting.sites.remove(site)
    _changed(meeting, "sites")
    return meeting


# ---- participants --------------------------------------------------------------------------------------------------

def _participant_fields(meeting: Meeting, data: dict, *, partial: bool) -> dict:
    fields = {}
    if not partial or "role" in data:
        fields["role"] = v.choice(data, "role", _("Role"), ROLES)
    if not partial or "can_vote" in data:
        fields["can_vote"] = v.boolean(data, "can_vote")
    if not partial or "site_id" in data:
        site_id = v.integer(data, "site_id", _("Site"))
        if site_id is not None and site_id not in {s.id for s in meeting.sites}:
            raise Invalid(_("This site does not belong to the meeting."), field="site_id")
        fields["site_id"] = site_id
    return fields


def _normalise_vote_right(participant: Participant) -> None:
    # Only a chair or a delegate can hold a vote; secretaries and observers never do.
    if participant.role not in ("chair", "delegate"):
        participant.can_vote = False


def invite_participant(user: User, meeting_id: int, data: dict) -> Participant:
    meeting = editable_meeting(user, meeting_id)
    invitee = None
    user_id = v.integer(data, "user_id", _("Person"))
    if user_id is not None:
        invitee = db.session.get(User, user_id)
    elif data.get("username"):
        username = v.text(data, "username", _("Person"), max_len=64).lower()
        invitee = db.session.scalar(sa.select(User).where(User.username == username))
    else:
        raise Invalid(_("Choose the person to invite."), field="user_id")
    if invitee is None or invitee.disabled:
        raise Invalid(_("There is no active account for this person."), field="user_id")
    if any(p.user_id == invitee.id for p in meeting.participants):
        raise Conflict(_("%(name)s is already invited to this meeting.", name=invitee.full_name), field="user_id")
    fields = _participant_fields(meeting, data, partial=False)
    participant = Participant(user_id=invitee.id, **fields)
    participant.user = invitee
    _normalise_vote_right(participant)
    meeting.participants.append(participant)
    _changed(meeting, "participants")
    log.info("%s invited to meeting %s as %s by %s", invitee.username, meeting.id, participant.role, user.username)
    return participant


def _participant(user: User, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise NotFound()
    editable_meeting(user, participant.meeting_id)
    return participant


def _keep_a_secretary(meeting: Meeting, leaving: Participant) -> None:
    if leaving.role == "secretary" and sum(1 for p in meeting.participants if p.role == "secretary") <= 1:
        raise Conflict(_("A meeting needs at least one secretary."), code="last_secretary")


def update_participant(user: User, participant_id: int, data: dict) -> Participant:
    participant = _participant(user, participant_id)
    fields = _participant_fields(participant.meeting, data, partial=True)
    if fields.get("role", participant.role) != "secretary":
        _keep_a_secretary(participant.meeting, participant)
    for name, value in fields.items():
        setattr(participant, name, value)
    _normalise_vote_right(participant)
    _changed(participant.meeting, "participants")
    return participant


def remove_participant(user: User, participant_id: int) -> Meeting:
    participant = _participant(user, participant_id)
    meeting = participant.meeting
    _keep_a_secretary(meeting, participant)
    meeting.participants.remove(participant)
    _changed(meeting, "participants")
    log.info("participant %s removed from meeting %s by %s", participant.user_id, meeting.id, user.username)
    connections.close_user(participant.user_id, meeting.id)
    return meeting
