"""What every JSON endpoint shares: reading the body and the logged-in user."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import UnsupportedMediaType

from server.errors import Invalid, Unauthorized


def json_body() -> dict:
    if not request.is_json:
        raise UnsupportedMediaType()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid(_("The request body must be a JSON object."), code="bad_json")
    return data


def user():
    if not current_user.is_authenticated:
        raise Unauthorized()
    return current_user._get_current_object()
