"""Languages: Vietnamese first, English second; the chosen one remembered in a cookie and on the account."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user

from server.extensions import babel

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    if getattr(request, "sid", None) and session.get("socket_locale") in languages:
        # A socket event: the language was chosen at connect (loading the user on every event would cost two queries).
        return session["socket_locale"]
    try:
        if current_user.is_authenticated and current_user.language in languages:
            return current_user.language
    except Exception:  # no user loader context (e.g. during start-up)
        pass
    if request.cookies.get(COOKIE) in languages:
        return request.cookies[COOKIE]
    if request.path.startswith("/api/"):
        # Other clients say what they want in Accept-Language; browsers get Vietnamese unless they picked English.
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def meeting_time(value: datetime | None) -> str:
    """The Vietnamese way: 08:00, Thứ Hai, 23/11/2026; in English: Monday 23/11/2026, 08:00."""
    if value is None:
        return ""
    if str(get_locale()) == "vi":
        return format_datetime(value, "HH:mm, EEEE, dd/MM/yyyy")
    return format_datetime(value, "EEEE dd/MM/yyyy, HH:mm")


def short_date(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy") if value else ""


def local_input(value: datetime | None) -> str:
    """The value of a datetime-local field, in the meeting's time zone."""
    if value is None:
        return ""
    return format_datetime(value, "yyyy-MM-dd'T'HH:mm")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)  # catalogues in server/translations
    app.jinja_env.filters["meeting_time"] = meeting_time
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["local_input"] = local_input

    @app.context_processor
    def _languages():
        return {"LANGUAGE_NAMES": LANGUAGE_NAMES, "current_language": str(get_locale())}
