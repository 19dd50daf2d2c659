"""Login, logout and the language picker (pages)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from server.auth import service
from server.auth.login import safe_next
from server.errors import AppError
from server.i18n import COOKIE
from server.users import service as users_service

bp = Blueprint("auth", __name__)


def start_login_session(user, raw_sid: str) -> None:
    """A fresh session at login (nothing from before survives), bound to its server-side record."""
    language = session.get("lang")
    session.clear()
    login_user(user)
    session["sid"] = raw_sid
    session.permanent = True
    if language:
        session["lang"] = language


def end_login_session() -> None:
    service.log_out(session.get("sid"))
    logout_user()
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or url_for("meetings.index"))
    error = None
    username = ""
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            user, raw = service.log_in(username, request.form.get("password", ""),
                                       remote_addr=request.remote_addr or "",
                                       user_agent=request.headers.get("User-Agent", ""))
        except AppError as exc:
            error, status = str(exc.message), exc.status
        else:
            start_login_session(user, raw)
            return redirect(safe_next(request.args.get("next")) or url_for("meetings.index"))
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
def logout():
    end_login_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        users_service.set_language(current_user, language)
    response = redirect(safe_next(request.form.get("next")) or url_for("meetings.index"))
    response.set_cookie(COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
