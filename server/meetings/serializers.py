"""Meetings, agenda items, sites and participants as JSON."""
from __future__ import annotations

from server.models import AgendaItem, Meeting, Participant, Site
from server.permissions import can_edit_meeting, role_in
from server.users.serializers import user_json


def item_json(item: AgendaItem) -> dict:
    return {"id": item.id, "number": item.number, "position": item.position, "title": item.title,
            "presenter": item.presenter, "planned_minutes": item.planned_minutes, "description": item.description}


def site_json(site: Site) -> dict:
    return {"id": site.id, "name": site.name}


def participant_json(p: Participant) -> dict:
    return {"id": p.id, "user": user_json(p.user), "role": p.role, "can_vote": p.can_vote, "site_id": p.site_id}


def meeting_summary_json(meeting: Meeting, my_role: str | None) -> dict:
    return {"id": meeting.id, "title": meeting.title, "organization": meeting.organization,
            "location": meeting.location, "starts_at": meeting.starts_at.isoformat(), "status": meeting.status,
            "my_role": my_role}


def meeting_json(meeting: Meeting, viewer) -> dict:
    data = meeting_summary_json(meeting, role_in(viewer, meeting))
    data.update({
        "description": meeting.description,
        "published_at": meeting.published_at.isoformat() if meeting.published_at else None,
        "started_at": meeting.started_at.isoformat() if meeting.started_at else None,
        "closed_at": meeting.closed_at.isoformat() if meeting.closed_at else None,
        "can_edit": can_edit_meeting(viewer, meeting),
        "allow_downloads": meeting.allow_downloads,
        "sites": [site_json(s) for s in meeting.sites],
        "agenda_items": [item_json(i) for i in meeting.items],
        "participants": [participant_json(p) for p in meeting.participants],
    })
    return data
