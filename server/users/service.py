"""Account management by the system administrator (pages, API and `flask users`)."""
from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from server import validation as v
from server.auth.service import normalise_username, revoke_all_sessions
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import Participant, User
from server.permissions import can_create_meeting, can_manage_users
from server.realtime import connections

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8


def _check_password(password) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD), field="password")
    if len(password) > 200:
        raise Invalid(_("The password is too long."), field="password")
    return password


def _require_admin(actor: User | None) -> None:
    # actor None means the command line, run by whoever holds the server.
    if actor is not None and not can_manage_users(actor):
        raise Forbidden()


def list_users(actor: User | None, *, include_disabled: bool = True) -> list[User]:
    _require_admin(actor)
    query = sa.select(User).order_by(User.full_name, User.username)
    if not include_disabled:
        query = query.where(User.disabled.is_(False))
    return list(db.session.scalars(query))


def directory(actor: User) -> list[User]:
    """Enabled accounts a secretary may invite: listed only to people who organise meetings (or are a secretary of one)."""
    is_secretary = db.session.scalar(sa.select(Participant.id).where(
        Participant.user_id == actor.id, Participant.role == "secretary").limit(1))
    if not (can_create_meeting(actor) or is_secretary):
        raise Forbidden()
    return list(db.session.scalars(sa.select(User).where(User.disabled.is_(False)).order_by(User.full_name)))


def get_user(actor: User | None, user_id: int) -> User:
    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def create_user(actor: User | None, data: dict) -> User:
    _require_admin(actor)
    username = normalise_username(v.text(data, "username", _("Username"), required=True, max_len=64))
    if not USERNAME_RE.match(username):
        raise Invalid(_("A username has 2 to 64 characters: lowercase letters without accents, digits, dot, dash or "
                        "underscore."), field="username")
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(_("The username %(name)s is already taken.", name=username), field="username")
    user = User(
        username=username,
        full_name=v.text(data, "full_name", _("Full name"), required=True, max_len=200),
        position_title=v.text(data, "position_title", _("Position"), max_len=200) or "",
        email=v.text(data, "email", _("E-mail"), max_len=254) or None,
        password_hash=generate_password_hash(_check_password(data.get("password"))),
        is_admin=v.boolean(data, "is_admin"),
        can_create_meetings=v.boolean(data, "can_create_meetings"),
    )
    db.session.add(user)
    db.session.commit()
    log.info("user %s created by %s", username, actor.username if actor else "command line")
    return user


def update_user(actor: User | None, user_id: int, data: dict) -> User:
    """Everything an administrator can change on an account; all checked before anything is changed."""
    user = get_user(actor, user_id)
    changes: dict = {}
    if "full_name" in data:
        changes["full_name"] = v.text(data, "full_name", _("Full name"), required=True, max_len=200)
    if "position_title" in data:
        changes["position_title"] = v.text(data, "position_title", _("Position"), max_len=200) or ""
    if "email" in data:
        changes["email"] = v.text(data, "email", _("E-mail"), max_len=254) or None
    if "can_create_meetings" in data:
        changes["can_create_meetings"] = v.boolean(data, "can_create_meetings")
    if "is_admin" in data:
        changes["is_admin"] = v.boolean(data, "is_admin")
        if actor is not None and actor.id == user.id and not changes["is_admin"]:
            raise Invalid(_("You cannot remove your own administrator right."), field="is_admin")
    if "disabled" in data:
        changes["disabled"] = v.boolean(data, "disabled")
        if actor is not None and actor.id == user.id and changes["disabled"]:
            raise Invalid(_("You cannot disable your own account."), field="disabled")
    if data.get("password"):
        changes["password_hash"] = generate_password_hash(_check_password(data["password"]))

    for name, value in changes.items():
        setattr(user, name, value)
    if "password_hash" in changes:
        user.failed_logins = 0
        user.locked_until = None
    # A new password or a disabled account ends every session opened before.
    if "password_hash" in changes or changes.get("disabled"):
        revoke_all_sessions(user)
    db.session.commit()
    log.info("user %s changed (%s) by %s", user.username, ", ".join(sorted(changes)),
             actor.username if actor else "command line")
    if "password_hash" in changes or changes.get("disabled"):
        connections.close_user(user.id)
    return user


def set_password(actor: User | None, user_id: int, password: str) -> User:
    _check_password(password)  # an empty password is an error here, not "no change"
    return update_user(actor, user_id, {"password": password})


def set_disabled(actor: User | None, user_id: int, disabled: bool) -> User:
    return update_user(actor, user_id, {"disabled": disabled})


def find_by_username(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))


def set_language(user: User, language: str) -> None:
    """Remember a logged-in person's language choice on their account."""
    if user.language != language:
        user.language = language
        db.session.commit()
