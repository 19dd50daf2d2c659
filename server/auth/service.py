"""Logging in and out, and the server-side record of each login session."""
from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from server.concurrency import off_the_event_loop
from server.errors import Forbidden, TooManyRequests, Unauthorized
from server.extensions import db
from server.models import LoginSession, User
from server.models.types import utcnow
from server.realtime import connections

log = logging.getLogger(__name__)

# Checked against when the username does not exist, so that the answer takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_session_id(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def log_in(username: str, password: str, *, remote_addr: str = "", user_agent: str = "") -> tuple[User, str]:
    """Check the password and open a login session. Returns the user and the raw session id for the cookie."""
    cfg = current_app.config
    now = utcnow()
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
        raise TooManyRequests(
            _("Too many failed logins. This account is locked for %(minutes)d more minutes.", minutes=minutes),
            code="locked",
        )
    ok = off_the_event_loop(check_password_hash, user.password_hash if user else _DUMMY_HASH, password or "")
    if not ok or user is None:
        delay = 0.0
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
                user.failed_logins = 0
                log.warning("account %s locked after repeated failed logins from %s", user.username, remote_addr)
            elif user.failed_logins >= cfg["LOGIN_SLOW_AFTER"]:
                delay = cfg["LOGIN_DELAY_SECONDS"] * (user.failed_logins - cfg["LOGIN_SLOW_AFTER"] + 1)
            db.session.commit()
        if delay:
            time.sleep(delay)  # green under eventlet: slows this attacker, not the server
        raise Unauthorized(_("Wrong username or password."), code="bad_credentials")
    if user.disabled:
        raise Forbidden(_("This account is disabled. Please contact the administrator."), code="disabled")
    user.failed_logins = 0
    user.locked_until = None
    raw = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            id=hash_session_id(raw), user=user, user_agent=(user_agent or "")[:300], remote_addr=(remote_addr or "")[:64]
        )
    )
    db.session.commit()
    log.info("user %s logged in from %s", user.username, remote_addr)
    return user, raw


def log_out(raw_session_id: str | None) -> None:
    if not raw_session_id:
        return
    row = db.session.get(LoginSession, hash_session_id(raw_session_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
        log.info("user %s logged out", row.user.username)
    connections.close_login_session(hash_session_id(raw_session_id))  # that login's live sockets end now


def revoke_all_sessions(user: User) -> None:
    """Used when an account is disabled or its password changed; the caller commits."""
    now = utcnow()
    for row in user.sessions:
        if row.revoked_at is None:
            row.revoked_at = now


def user_for_session(user_id: str, raw_session_id: str | None) -> User | None:
    """flask-login's loader: a user only while their login session is live and the account enabled."""
    if not raw_session_id or not str(user_id).isdigit():
        return None
    row = db.session.get(LoginSession, hash_session_id(raw_session_id))
    if row is None or row.revoked_at is not None or row.user_id != int(user_id):
        return None
    if row.created_at + current_app.permanent_session_lifetime < utcnow():
        return None
    user = row.user
    return None if user.disabled else user
