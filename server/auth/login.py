"""flask-login wiring: a user is loaded only while their server-side login session is live."""
from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from server.auth.service import user_for_session
from server.errors import Unauthorized
from server.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_id: str):
        return user_for_session(user_id, session.get("sid"))

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.path.startswith("/api/"):
            raise Unauthorized()
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def safe_next(target: str | None) -> str | None:
    """Only local paths: a login link must not be usable to send people to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
