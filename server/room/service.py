"""The live room's state changes: agenda item in progress, who presents, what is shown, attendance, wall links.

Each change raises the meeting's sequence number in the same transaction and, after the commit, is published as one
`room` delta carrying that number (docs/PROTOCOL.md). Tablets apply deltas in order and ask for a snapshot on a gap."""
from __future__ import annotations

import hashlib
import logging
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from server import validation as v
from server.documents import storage
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.meetings.service import editable_meeting, get_meeting
from server.models import (ATTENDANCE, AgendaItem, Attendance, Document, DocumentVersion, Meeting, Participant,
                           RoomState, User, WallToken)
from server.models.types import utcnow
from server.permissions import participation, role_in
from server.realtime import connections
from server.realtime.broadcast import publish
from server.room import snapshot as snap

log = logging.getLogger(__name__)
LIVE_STATUSES = ("published", "in_progress")


def state_of(meeting_id: int, *, lock: bool = False) -> RoomState:
    """The meeting's state row (made on first use). lock: held until commit, so sequence numbers never repeat."""
    query = sa.select(RoomState).where(RoomState.meeting_id == meeting_id)
    if lock:
        query = query.with_for_update()
    state = db.session.scalar(query)
    if state is None:
        state = RoomState(meeting_id=meeting_id, seq=0)
        db.session.add(state)
        try:
            db.session.flush()
        except sa.exc.IntegrityError:  # made by someone else meanwhile
            db.session.rollback()
            state = db.session.scalar(query)
    return state


def commit_delta(meeting: Meeting, state: RoomState, kind: str, data: dict) -> dict:
    # Numbers taken before the commit: it expires every loaded row, and reading them again costs a query each.
    meeting_id, seq = meeting.id, state.seq + 1
    state.seq = seq
    db.session.commit()
    return _publish_delta(meeting_id, seq, kind, data)


def _publish_delta(meeting_id: int, seq: int, kind: str, data: dict) -> dict:
    delta = {"meeting_id": meeting_id, "seq": seq, "type": kind, "data": data}
    publish(meeting_id, "room", delta)
    return delta


def _live_meeting(user: User, meeting_id: int) -> Meeting:
    meeting = get_meeting(user, meeting_id)
    if meeting.status not in LIVE_STATUSES:
        raise Conflict(_("This meeting is not open."), code="meeting_not_live")
    return meeting


def _require_runner(user: User, meeting: Meeting) -> None:
    # Running the meeting is the chair's; the secretary may do it on the chair's behalf.
    if role_in(user, meeting) not in ("chair", "secretary"):
        raise Forbidden(_("Only the chair can do this."), code="not_chair")


# ---- agenda and presenting -----------------------------------------------------------------------------------------

def set_current_item(user: User, meeting_id: int, item_id) -> dict:
    meeting = _live_meeting(user, meeting_id)
    _require_runner(user, meeting)
    item_id = v.integer({"item_id": item_id}, "item_id", _("Agenda item"))
    if item_id is not None and item_id not in {i.id for i in meeting.items}:
        raise Invalid(_("This agenda item is not part of the meeting."), field="item_id")
    state = state_of(meeting.id, lock=True)
    state.item_id = item_id
    return commit_delta(meeting, state, "item", {"item": snap.item(meeting, state)})


def set_presenter(user: User, meeting_id: int, presenter_user_id) -> dict:
    """The chair names who presents (None: the chair again). The named person may then present."""
    meeting = _live_meeting(user, meeting_id)
    _require_runner(user, meeting)
    presenter_user_id = v.integer({"user_id": presenter_user_id}, "user_id", _("Presenter"))
    if presenter_user_id is not None and presenter_user_id not in {p.user_id for p in meeting.participants}:
        raise Invalid(_("The presenter must be a participant of the meeting."), field="user_id")
    state = state_of(meeting.id, lock=True)
    state.presenter_id = presenter_user_id
    return commit_delta(meeting, state, "presentation", snap.presentation(state))


def may_present(user: User, meeting: Meeting, state: RoomState) -> bool:
    role = role_in(user, meeting)
    return role == "chair" or (role is not None and state.presenter_id == user.id)


def present(user: User, meeting_id: int, data: dict) -> dict:
    """Show a document page to the room: document, page, zoom and scroll (0..1 of the page).

    The hot path of a live meeting (every page turn waits for it before the first tablet hears of it), so it reads
    only columns: the caller with the room state, then the document with its current version, then one
    UPDATE ... RETURNING that raises seq. The same rules as get_meeting, may_present and commit_delta."""
    caller = db.session.execute(
        sa.select(Meeting.status, Participant.role, RoomState.meeting_id.label("state_made"), RoomState.presenter_id,
                  User.full_name.label("presenter_name"))
        .select_from(Meeting)
        .outerjoin(Participant, (Participant.meeting_id == Meeting.id) & (Participant.user_id == user.id))
        .outerjoin(RoomState, RoomState.meeting_id == Meeting.id)
        .outerjoin(User, User.id == RoomState.presenter_id)
        .where(Meeting.id == meeting_id)).one_or_none()
    # permissions.can_view_meeting on these columns: invited, and a draft only for its secretary.
    if caller is None or caller.role is None or (caller.status == "draft" and caller.role != "secretary"):
        raise NotFound()
    if caller.status not in LIVE_STATUSES:
        raise Conflict(_("This meeting is not open."), code="meeting_not_live")
    if not (caller.role == "chair" or caller.presenter_id == user.id):
        raise Forbidden(_("Only the chair, or the person the chair names, can present."), code="not_presenter")
    document_id = v.integer(data, "document_id", _("Document"), required=True)
    doc = _presentable(meeting_id, document_id)
    if "version_id" in data and data["version_id"] is not None:
        version_id = v.integer(data, "version_id", _("Version"))
        if version_id != doc.version_id:
            _refuse_version(document_id, version_id)
    page = v.integer(data, "page", _("Page"), required=True, minimum=1, maximum=max(1, doc.page_count))
    shown = {"zoom": _number(data, "zoom", 1.0, 0.25, 8.0), "scroll_x": _number(data, "scroll_x", 0.0, 0, 1),
             "scroll_y": _number(data, "scroll_y", 0.0, 0, 1)}
    if caller.state_made is None:
        state_of(meeting_id)  # first change of this meeting: make the row
    # Presenting a document moves the meeting to its item: one delta says both.
    update = (sa.update(RoomState).where(RoomState.meeting_id == meeting_id)
              .values(seq=RoomState.seq + 1, presenting=True, document_id=document_id, version_id=doc.version_id,
                      page=page, item_id=doc.item_id, **shown))
    if caller.role != "chair":  # checked again under the row's lock: the chair may have named someone else meanwhile
        update = update.where(RoomState.presenter_id == user.id)
    row = _update_returning(update, meeting_id, RoomState.seq, RoomState.presenter_id)
    if row is None:
        db.session.rollback()
        raise Forbidden(_("Only the chair, or the person the chair names, can present."), code="not_presenter")
    presenter_name = caller.presenter_name
    if row.presenter_id != caller.presenter_id:  # named meanwhile: the delta must say who it is now
        presenter_name = db.session.scalar(sa.select(User.full_name).where(User.id == row.presenter_id))
    db.session.commit()
    data = snap.presentation_json(
        presenting=True, presenter_id=row.presenter_id, presenter_name=presenter_name, document_id=document_id,
        version_id=doc.version_id, title=doc.title, confidential=doc.confidentiality != "none", page=page, **shown)
    data["item"] = {"id": doc.item_id, "number": doc.item_position + 1, "title": doc.item_title}
    return _publish_delta(meeting_id, row.seq, "presentation", data)


def _presentable(meeting_id: int, document_id: int):
    """The document with its agenda item and current (newest) version, as columns; Invalid unless in this meeting."""
    doc = db.session.execute(
        sa.select(Document.title, Document.confidentiality, AgendaItem.id.label("item_id"),
                  AgendaItem.position.label("item_position"), AgendaItem.title.label("item_title"),
                  DocumentVersion.id.label("version_id"), DocumentVersion.page_count)
        .join(AgendaItem, AgendaItem.id == Document.agenda_item_id)
        .join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.id == document_id, AgendaItem.meeting_id == meeting_id)
        .order_by(DocumentVersion.number.desc()).limit(1)).one_or_none()
    if doc is None:
        raise Invalid(_("This document is not part of the meeting."), field="document_id")
    return doc


def _refuse_version(document_id: int, version_id: int) -> None:
    """Only the current version is presented: tablets open a document at its current version and could not follow."""
    owner = db.session.scalar(sa.select(DocumentVersion.document_id).where(DocumentVersion.id == version_id))
    if owner != document_id:
        raise Invalid(_("This version does not belong to the document."), field="version_id")
    raise Conflict(_("A newer version of this document has been uploaded. Open the current version to present it."),
                   code="old_version")


def _update_returning(update, meeting_id: int, *columns):
    """UPDATE ... RETURNING where the database has it (PostgreSQL, SQLite 3.35+); else the UPDATE and a read in the
    same transaction, which still holds the row (SQLite has one writer). None when no row matched."""
    options = {"synchronize_session": False}
    if db.session.get_bind().dialect.update_returning:
        return db.session.execute(update.returning(*columns), execution_options=options).one_or_none()
    if db.session.execute(update, execution_options=options).rowcount == 0:
        return None
    return db.session.execute(sa.select(*columns).where(RoomState.meeting_id == meeting_id)).one()


def stop_presenting(user: User, meeting_id: int) -> dict:
    meeting = _live_meeting(user, meeting_id)
    state = state_of(meeting.id, lock=True)
    if not (may_present(user, meeting, state) or role_in(user, meeting) == "secretary"):
        raise Forbidden(_("Only the chair, or the person the chair names, can present."), code="not_presenter")
    state.presenting = False
    return commit_delta(meeting, state, "presentation", snap.presentation(state))


def _number(data: dict, field: str, default: float, lo: float, hi: float) -> float:
    value = data.get(field, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise Invalid(_("%(label)s must be between %(lo)s and %(hi)s.", label=field, lo=lo, hi=hi), field=field)
    return float(value)


# ---- attendance ----------------------------------------------------------------------------------------------------

def _set_attendance(actor: User, meeting: Meeting, participant: Participant, status: str, reason: str) -> dict:
    row = db.session.scalar(sa.select(Attendance).where(Attendance.participant_id == participant.id))
    if row is None:
        row = Attendance(meeting_id=meeting.id, participant_id=participant.id, status=status)
        db.session.add(row)
    row.status, row.reason, row.updated_by_id = status, reason, actor.id
    row.updated_at = utcnow()
    state = state_of(meeting.id, lock=True)
    db.session.flush()
    delta = commit_delta(meeting, state, "attendance", snap.attendance_delta(meeting, [participant.id]))
    log.info("attendance in meeting %s: %s is %s (by %s)", meeting.id, participant.user_id, status, actor.username)
    return delta


def check_in(user: User, meeting_id: int, status: str) -> dict:
    """A participant checks themself in: in the room (present) or online."""
    meeting = _live_meeting(user, meeting_id)
    participant = participation(user, meeting)
    if participant.role == "secretary":
        raise Invalid(_("The secretary does not check in."), code="secretary")
    status = v.choice({"status": status}, "status", _("Attendance"), ("present", "online"))
    return _set_attendance(user, meeting, participant, status, "")


def set_attendance(user: User, meeting_id: int, data: dict) -> dict:
    """The secretary records anyone's attendance; an absence needs its reason."""
    meeting = _live_meeting(user, meeting_id)
    if role_in(user, meeting) != "secretary":
        raise Forbidden(_("Only the secretary can record other people's attendance."))
    participant_id = v.integer(data, "participant_id", _("Participant"), required=True)
    participant = next((p for p in meeting.participants if p.id == participant_id), None)
    if participant is None or participant.role == "secretary":
        raise Invalid(_("This person is not a member of the meeting."), field="participant_id")
    status = v.choice(data, "status", _("Attendance"), ATTENDANCE)
    reason = v.text(data, "reason", _("Reason"), max_len=300) or ""
    if status == "absent" and not reason:
        raise Invalid(_("Give the reason for the absence."), field="reason")
    return _set_attendance(user, meeting, participant, status, reason if status == "absent" else "")


def set_quorum_rule(user: User, meeting_id: int, data: dict) -> dict:
    meeting = editable_meeting(user, meeting_id)
    if "quorum_percent" in data:
        meeting.quorum_percent = v.integer(data, "quorum_percent", _("Quorum"), required=True, minimum=0,
                                           maximum=99)
    if "online_counts" in data:
        meeting.online_counts = v.boolean(data, "online_counts")
    state = state_of(meeting.id, lock=True)
    return commit_delta(meeting, state, "attendance", snap.attendance_delta(meeting, []))


# ---- snapshot ------------------------------------------------------------------------------------------------------

def room_snapshot(user: User | None, meeting_id: int) -> dict:
    meeting = db.session.get(Meeting, meeting_id) if user is None else get_meeting(user, meeting_id)
    if meeting is None:
        raise NotFound()
    # A meeting nobody has changed yet has no row: a blank one, not stored, so a join writes nothing here (the row is
    # made by the first change, under its lock).
    state = (db.session.scalar(sa.select(RoomState).where(RoomState.meeting_id == meeting.id))
             or RoomState(meeting_id=meeting.id, seq=0, presenting=False, page=1, zoom=1.0, scroll_x=0.0,
                          scroll_y=0.0))
    return snap.snapshot(meeting, state, user)


# ---- wall screen links ---------------------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_wall_token(user: User, meeting_id: int) -> tuple[WallToken, str]:
    meeting = editable_meeting(user, meeting_id)
    raw = secrets.token_urlsafe(24)
    token = WallToken(meeting_id=meeting.id, token_hash=_hash(raw), created_by_id=user.id)
    db.session.add(token)
    db.session.commit()
    log.info("wall screen link %s created for meeting %s by %s", token.id, meeting.id, user.username)
    return token, raw


def revoke_wall_token(user: User, token_id: int) -> WallToken:
    token = db.session.get(WallToken, token_id)
    if token is None:
        raise NotFound()
    editable_meeting(user, token.meeting_id)
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    connections.close_wall_token(token.id)  # the wall screen goes dark at once
    return token


def wall_tokens(user: User, meeting_id: int) -> list[WallToken]:
    meeting = editable_meeting(user, meeting_id)
    return list(db.session.scalars(sa.select(WallToken).where(WallToken.meeting_id == meeting.id)
                                   .order_by(WallToken.id)))


def wall_token(raw: str | None) -> WallToken | None:
    """The live link for this token, or None (unknown, revoked, or its meeting closed)."""
    if not raw or not isinstance(raw, str) or len(raw) > 100:
        return None
    token = db.session.scalar(sa.select(WallToken).where(WallToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    meeting = db.session.get(Meeting, token.meeting_id)
    if meeting is None or meeting.status not in LIVE_STATUSES:
        return None
    return token


def wall_page(raw: str | None, version_id: int, number: int):
    """The `view` image of a page the wall screen may show: a page of the version being presented in its meeting.
    NotFound for anything else; Forbidden (code confidential) for a confidential document, which never reaches a wall."""
    token = wall_token(raw)
    version = db.session.get(DocumentVersion, version_id) if token is not None else None
    if version is None or version.document.agenda_item.meeting_id != token.meeting_id:
        raise NotFound()
    state = state_of(token.meeting_id)
    if not state.presenting or state.version_id != version.id or not 1 <= number <= version.page_count:
        raise NotFound()
    if version.document.is_confidential:
        raise Forbidden(_("Confidential document — not shown on the meeting-room screen."), code="confidential")
    path = storage.page_path(version.sha256, number, "view")
    if not path.exists():
        raise NotFound(_("This page is not ready yet."), code="page_not_ready")
    return path
