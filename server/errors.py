"""Domain errors, raised by services and mapped once to HTTP (JSON or page) and, later, to socket replies."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class AppError(Exception):
    status = 400
    code = "invalid"
    default_message = _l("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message or self.default_message))
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        return {"error": body}


class Invalid(AppError):
    status = 400
    code = "invalid"
    default_message = _l("Some of the data is not valid.")


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    default_message = _l("Please log in first.")


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = _l("You do not have permission to do this.")


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = _l("Not found. It may have been removed, or you may not have access to it.")


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = _l("This cannot be done in the current state.")


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    default_message = _l("Too many attempts. Please wait and try again.")


# Messages for plain HTTP errors raised by Flask/Werkzeug themselves.
_HTTP_MESSAGES = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Please log in first.")),
    403: ("forbidden", _l("You do not have permission to do this.")),
    404: ("not_found", _l("Not found. It may have been removed, or you may not have access to it.")),
    405: ("method_not_allowed", _l("This action is not allowed here.")),
    413: ("too_large", _l("The data sent is too large.")),
    415: ("unsupported_media_type", _l("Send the data as JSON (Content-Type: application/json).")),
    429: ("too_many_requests", _l("Too many attempts. Please wait and try again.")),
    500: ("server_error", _l("Something went wrong on the server. Please try again.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message, field: str | None = None, headers=None):
    body = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    if wants_json():
        return {"error": body}, status, headers or {}
    return render_template("error.html", status=status, error=body), status, headers or {}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def _app_error(exc: AppError):
        return _respond(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return _respond(400, "csrf", _l("Your form has expired or was sent from another site. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code, message = _HTTP_MESSAGES.get(exc.code or 500, ("error", exc.description))
        headers = dict(exc.get_headers()) if exc.code == 405 else None
        if headers:
            headers.pop("Content-Type", None)
        return _respond(exc.code or 500, code, message, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        code, message = _HTTP_MESSAGES[500]
        return _respond(500, code, message)
