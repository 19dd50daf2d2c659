"""Socket.IO handlers: thin. Each checks who is asking, calls one service, and answers with an acknowledgement.
The events, payloads and rules are in docs/PROTOCOL.md."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l  # field labels: translated only when an error needs them
from flask_login import current_user
from flask_socketio import SocketIO, emit, join_room, leave_room

from server import validation as v
from server.annotations import service as annotations
from server.auth.service import hash_session_id
from server.errors import Forbidden, Invalid, NotFound, Unauthorized
from server.extensions import db
from server.meetings.service import get_meeting
from server.models import LoginSession, User, WallToken
from server.models.types import utcnow
from server.realtime import connections, guard
from server.realtime.broadcast import meeting_room, organisers_room, user_room
from server.realtime.guard import guarded, ok
from server.room import service as room
from server.votes import service as votes
from server.votes.serializers import vote_json_for


# Who is behind each socket of this process, taken at connect: sid -> (the user, detached, with its columns loaded;
# the end of the login's lifetime). Loading the login session and the user on every event was most of the cost of a
# ballot or a page turn; it is not needed, because logging out, disabling the account, revoking the login and removing
# someone from a meeting close that person's sockets at once (server/realtime/connections.py).
_identities: dict[str, tuple[User, datetime]] = {}


def _user() -> User:
    """The person behind this socket, within the lifetime of the login the socket was opened with."""
    identity = _identities.get(request.sid)
    if identity is None or utcnow() >= identity[1]:
        raise Unauthorized()
    return db.session.merge(identity[0], load=False)  # into this event's session, without a query


def _meeting_id(payload: dict) -> int:
    return v.integer(payload, "meeting_id", _l("Meeting"), required=True, minimum=1)


def _wall() -> WallToken | None:
    token_id = session.get("wall_token_id")
    token = db.session.get(WallToken, token_id) if token_id else None
    return token if token is not None and token.revoked_at is None else None


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def _connect(auth=None):
        if current_user.is_authenticated:
            login_session_id = hash_session_id(session.get("sid", ""))
            login = db.session.get(LoginSession, login_session_id)  # already loaded by flask-login's loader
            user = current_user._get_current_object()
            db.session.expunge(user)  # kept detached with what was loaded, not expired by the commits below
            _identities[request.sid] = (user, login.created_at + current_app.permanent_session_lifetime)
            session["socket_locale"] = str(get_locale())  # the language of this socket's messages (server/i18n.py)
            connections.register(request.sid, user_id=current_user.id, login_session_id=login_session_id,
                                 wall_token_id=None)
            join_room(user_room(current_user.id))
            return True
        token = room.wall_token(auth.get("wall_token") if isinstance(auth, dict) else None)
        if token is None:
            return False  # refused: the client sees connect_error
        session["wall_token_id"] = token.id
        connections.register(request.sid, user_id=None, login_session_id=None, wall_token_id=token.id)
        return True

    @socketio.on("disconnect")
    def _disconnect(*_args):
        guard.forget(request.sid)
        _identities.pop(request.sid, None)
        connections.forget(request.sid)

    def _snapshot(payload, *, entering: bool) -> dict:
        """The room as this socket may see it; entering: also put the socket in the meeting's rooms."""
        meeting_id = _meeting_id(payload)
        wall = _wall()
        user = None
        if wall is not None:
            if wall.meeting_id != meeting_id:
                raise NotFound()
        else:
            user = _user()
            get_meeting(user, meeting_id)  # NotFound before the socket enters anything
        if entering:
            join_room(meeting_room(meeting_id))
            connections.enter(request.sid, meeting_id)
        snapshot = room.room_snapshot(user, meeting_id)
        if entering and snapshot["me"] and snapshot["me"]["may_run"]:
            join_room(organisers_room(meeting_id))
        return snapshot

    @guarded(socketio, "join", rate=2, burst=10)
    def _join(payload):
        return ok(snapshot=_snapshot(payload, entering=True))

    @guarded(socketio, "sync", rate=2, burst=10)
    def _sync(payload):
        """A new snapshot, for a client that saw a gap in the sequence numbers."""
        return ok(snapshot=_snapshot(payload, entering=False))

    @guarded(socketio, "leave", rate=2, burst=10)
    def _leave(payload):
        meeting_id = _meeting_id(payload)
        leave_room(meeting_room(meeting_id))
        leave_room(organisers_room(meeting_id))
        connections.enter(request.sid, None)

    @guarded(socketio, "set_item", rate=5)
    def _set_item(payload):
        return ok(seq=room.set_current_item(_user(), _meeting_id(payload), payload.get("item_id"))["seq"])

    @guarded(socketio, "set_presenter", rate=5)
    def _set_presenter(payload):
        return ok(seq=room.set_presenter(_user(), _meeting_id(payload), payload.get("user_id"))["seq"])

    @guarded(socketio, "present", rate=20, burst=20)
    def _present(payload):
        return ok(seq=room.present(_user(), _meeting_id(payload), payload)["seq"])

    @guarded(socketio, "stop_presenting", rate=5)
    def _stop(payload):
        return ok(seq=room.stop_presenting(_user(), _meeting_id(payload))["seq"])

    @guarded(socketio, "check_in", rate=2, burst=5)
    def _check_in(payload):
        return ok(seq=room.check_in(_user(), _meeting_id(payload), payload.get("status"))["seq"])

    @guarded(socketio, "set_attendance", rate=10, burst=20)
    def _set_attendance(payload):
        return ok(seq=room.set_attendance(_user(), _meeting_id(payload), payload)["seq"])

    # ---- annotations (the same services as /api/v1/annotations) ----------------------------------------------------

    @guarded(socketio, "annotation_save", rate=20, burst=40)
    def _annotation_save(payload):
        return ok(annotation=annotations.annotation_json(annotations.save_annotation(_user(), payload)))

    @guarded(socketio, "annotation_delete", rate=20, burst=40)
    def _annotation_delete(payload):
        annotations.delete_annotation(_user(), payload.get("id"))

    @guarded(socketio, "annotation_share", rate=10, burst=20)
    def _annotation_share(payload):
        if payload.get("id") is not None:
            annotations.share_annotation(_user(), payload["id"], payload.get("shared"))
            return ok(changed=1)
        document_id = v.integer(payload, "document_id", _l("Document"), required=True)
        return ok(changed=annotations.share_all(_user(), document_id, payload.get("shared")))

    # ---- votes (the same services as /api/v1/votes) ------------------------------------------------------------------

    def _vote_id(payload):
        return v.integer(payload, "vote_id", _l("Vote"), required=True, minimum=1)

    @guarded(socketio, "vote_create", rate=2, burst=5)
    def _vote_create(payload):
        vote = votes.create_vote(_user(), _meeting_id(payload), payload)
        return ok(vote=vote_json_for(_user(), vote))

    @guarded(socketio, "vote_open", rate=2, burst=5)
    def _vote_open(payload):
        return ok(vote=vote_json_for(_user(), votes.open_vote(_user(), _vote_id(payload))))

    @guarded(socketio, "vote_cast", rate=5, burst=10)
    def _vote_cast(payload):
        """Acknowledged only after the ballot is committed; a resend of the same ballot_id is acknowledged again."""
        cast = votes.cast_ballot(_user(), _vote_id(payload), payload)
        return ok(vote_id=cast.vote_id, ballot_id=cast.ballot_id, counted=True, duplicate=not cast.new)

    @guarded(socketio, "vote_close", rate=2, burst=5)
    def _vote_close(payload):
        return ok(vote=vote_json_for(_user(), votes.close_vote(_user(), _vote_id(payload))))

    @guarded(socketio, "vote_publish", rate=2, burst=5)
    def _vote_publish(payload):
        return ok(vote=vote_json_for(_user(), votes.publish_vote(_user(), _vote_id(payload))))

    @guarded(socketio, "vote_cancel", rate=2, burst=5)
    def _vote_cancel(payload):
        return ok(vote=vote_json_for(_user(), votes.cancel_vote(_user(), _vote_id(payload), payload.get("reason"))))

    @guarded(socketio, "pointer", rate=30, burst=30)
    def _pointer(payload):
        """The presenter's laser pointer: passed on to the room, never stored."""
        user = _user()
        meeting_id = _meeting_id(payload)
        meeting = get_meeting(user, meeting_id)
        if not room.may_present(user, meeting, room.state_of(meeting_id)):
            raise Forbidden(_("Only the chair, or the person the chair names, can present."), code="not_presenter")
        x, y = payload.get("x"), payload.get("y")
        visible = x is not None and y is not None
        if visible and not all(isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1
                               for c in (x, y)):
            raise Invalid(_("The pointer position must be between 0 and 1."), code="bad_pointer")
        page = v.integer(payload, "page", _l("Page"), minimum=1, maximum=100000)
        emit("pointer", {"meeting_id": meeting_id, "x": x, "y": y, "page": page},
             to=meeting_room(meeting_id), include_self=False)
