"""The one picture of a meeting's live state that a tablet, a console or the wall screen needs on (re)joining."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import AgendaItem, Attendance, Document, Meeting, Participant, RoomState, User, Vote
from server.realtime import connections
from server.room import quorum
from server.votes.serializers import vote_json


EVERYONE = "everyone"


def attendance(meeting: Meeting, rows_of: str | set[int] = EVERYONE) -> dict:
    """Who is checked in, counts per site, and quorum: more than quorum_percent of the voting members checked in.
    rows_of: whose rows to list (EVERYONE, or a set of participant ids); the counts always cover everyone."""
    counted = quorum.counted(meeting)
    counts = {"present": 0, "online": 0, "absent": 0, "unknown": 0}
    sites = {s.id: {"site_id": s.id, "name": s.name, "present": 0, "online": 0, "absent": 0, "unknown": 0}
             for s in meeting.sites}
    voting_total = voting_in = 0
    p_, u_, a_ = Participant.__table__.c, User.__table__.c, Attendance.__table__.c
    # Counted by the database: a tablet's snapshot must not fetch and walk 1,000 rows to say "812 present" (that was
    # half the server's work in a storm of 1,000 joins). The secretary serves the meeting; not a member of it.
    groups = db.session.execute(
        sa.select(p_.site_id, p_.can_vote, a_.status, sa.func.count())
        .select_from(Participant.__table__).outerjoin(Attendance.__table__, a_.participant_id == p_.id)
        .where(p_.meeting_id == meeting.id, p_.role != "secretary")
        .group_by(p_.site_id, p_.can_vote, a_.status))
    for site_id, can_vote, status, n in groups:
        status = status or "unknown"
        counts[status] += n
        if site_id in sites:
            sites[site_id][status] += n
        if can_vote:
            voting_total += n
            voting_in += n if status in counted else 0
    people = []
    if rows_of:
        # The rows in one query with their names (plain columns: no per-row ORM work), never a query per member.
        query = (sa.select(p_.id, p_.user_id, p_.role, p_.can_vote, p_.site_id, u_.full_name, a_.status, a_.reason)
                 .join_from(Participant.__table__, User.__table__, u_.id == p_.user_id)
                 .outerjoin(Attendance.__table__, a_.participant_id == p_.id)
                 .where(p_.meeting_id == meeting.id, p_.role != "secretary").order_by(p_.id))
        if rows_of is not EVERYONE:
            query = query.where(p_.id.in_(rows_of))
        people = [{"participant_id": p.id, "user_id": p.user_id, "full_name": p.full_name, "role": p.role,
                   "can_vote": p.can_vote, "site_id": p.site_id, "status": p.status or "unknown",
                   "reason": p.reason or ""} for p in db.session.execute(query)]
    required = quorum.required(meeting, voting_total)
    return {"counts": counts, "by_site": list(sites.values()), "participants": people,
            "quorum": {"voting_members": voting_total, "checked_in": voting_in, "required": required,
                       "percent": meeting.quorum_percent, "online_counts": meeting.online_counts,
                       "reached": voting_total > 0 and voting_in >= required}}


def attendance_delta(meeting: Meeting, changed: list[int]) -> dict:
    """An `attendance` delta: counts, sites and quorum, and only the rows of the participants whose attendance changed
    (clients replace those rows in their list), never the whole list of members."""
    data = attendance(meeting, set(changed))
    data["changed"] = data.pop("participants")
    return data


def presentation_json(*, presenting: bool, presenter_id: int | None, presenter_name: str | None,
                      document_id: int | None, version_id: int | None, title: str | None, confidential: bool,
                      page: int, zoom: float, scroll_x: float, scroll_y: float) -> dict:
    """What is shown, in snapshots and deltas alike. confidential: tablets fetch the pages with their own access (and
    watermark); the wall screen never shows them."""
    return {
        "presenting": presenting,
        "presenter": {"user_id": presenter_id, "full_name": presenter_name} if presenter_id else None,
        "document_id": document_id, "version_id": version_id, "title": title, "confidential": confidential,
        "page": page, "zoom": zoom, "scroll_x": scroll_x, "scroll_y": scroll_y,
    }


def presentation(state: RoomState) -> dict:
    presenter = db.session.get(User, state.presenter_id) if state.presenter_id else None
    document = db.session.get(Document, state.document_id) if state.document_id else None
    return presentation_json(
        presenting=state.presenting, presenter_id=presenter.id if presenter else None,
        presenter_name=presenter.full_name if presenter else None, document_id=state.document_id,
        version_id=state.version_id, title=document.title if document else None,
        confidential=bool(document and document.is_confidential), page=state.page, zoom=state.zoom,
        scroll_x=state.scroll_x, scroll_y=state.scroll_y)


def item(meeting: Meeting, state: RoomState) -> dict | None:
    # By key: no query when the meeting's items are loaded already, one row when they are not (not the whole agenda).
    current = db.session.get(AgendaItem, state.item_id) if state.item_id else None
    if current is None or current.meeting_id != meeting.id:
        return None
    return {"id": current.id, "number": current.number, "title": current.title}


def current_vote(meeting: Meeting) -> Vote | None:
    """The vote the room is busy with: the open one, else the latest closed, announced or cancelled one."""
    return db.session.scalar(sa.select(Vote).where(Vote.meeting_id == meeting.id, Vote.status != "draft")
                             .order_by((Vote.status == "open").desc(), Vote.opened_at.desc(), Vote.id.desc()).limit(1))


def snapshot(meeting: Meeting, state: RoomState, viewer: User | None) -> dict:
    """viewer None is the wall screen."""
    participant = None if viewer is None else db.session.scalar(sa.select(Participant).where(
        Participant.meeting_id == meeting.id, Participant.user_id == viewer.id))
    role = participant.role if participant else None
    # The list of everyone is for the consoles; a tablet needs the counts, the quorum and its own row (1,000 names in
    # each of 1,000 snapshots would be 177 MB for one room).
    rows_of = EVERYONE if role in ("chair", "secretary") else {participant.id} if participant else set()
    data = {
        "meeting_id": meeting.id, "seq": state.seq, "status": meeting.status, "title": meeting.title,
        "item": item(meeting, state), "presentation": presentation(state), "attendance": attendance(meeting, rows_of),
        "me": None, "vote": None,
    }
    current = current_vote(meeting)
    if current is not None:
        data["vote"] = vote_json(current, role=role, me=viewer)
    if viewer is not None:
        data["me"] = {"user_id": viewer.id, "participant_id": participant.id if participant else None,
                      "role": role, "can_vote": bool(participant and participant.can_vote),
                      "may_present": role == "chair" or state.presenter_id == viewer.id,
                      "may_run": role in ("chair", "secretary")}
        if role in ("chair", "secretary"):
            data["connected"] = connections.connected_users(meeting.id)
    return data
