"""Small input checks shared by the services; each failure is an Invalid naming the field, in the user's language."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from server.errors import Invalid


def text(data: dict, field: str, label: str, *, required: bool = False, max_len: int = 300, default: str | None = None):
    value = data.get(field, default)
    if value is None:
        if required:
            raise Invalid(_("%(label)s is required.", label=label), field=field)
        return None
    if not isinstance(value, str):
        raise Invalid(_("%(label)s must be text.", label=label), field=field)
    value = value.strip()
    if required and not value:
        raise Invalid(_("%(label)s is required.", label=label), field=field)
    if len(value) > max_len:
        raise Invalid(_("%(label)s is too long (at most %(n)d characters).", label=label, n=max_len), field=field)
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise Invalid(_("%(label)s contains characters that are not allowed.", label=label), field=field)
    return value


def integer(data: dict, field: str, label: str, *, required: bool = False, minimum: int | None = None,
            maximum: int | None = None):
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise Invalid(_("%(label)s is required.", label=label), field=field)
        return None
    if isinstance(value, bool):
        raise Invalid(_("%(label)s must be a whole number.", label=label), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("%(label)s must be a whole number.", label=label), field=field) from None
    if isinstance(value, float) and value != number:
        raise Invalid(_("%(label)s must be a whole number.", label=label), field=field)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise Invalid(_("%(label)s must be between %(lo)d and %(hi)d.", label=label, lo=minimum or 0, hi=maximum or 0),
                      field=field)
    return number


def boolean(data: dict, field: str, default: bool = False) -> bool:
    value = data.get(field, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    if isinstance(value, int):
        return value != 0
    return default


def choice(data: dict, field: str, label: str, options, *, required: bool = True, default=None):
    value = data.get(field, default)
    if value is None and not required:
        return None
    if value not in options:
        raise Invalid(_("%(label)s is not one of the allowed values.", label=label), field=field)
    return value


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def datetime_value(data: dict, field: str, label: str, *, required: bool = False):
    """ISO 8601; without an offset it is read as local time (Asia/Ho_Chi_Minh), as a datetime-local form field sends."""
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise Invalid(_("%(label)s is required.", label=label), field=field)
        return None
    if not isinstance(value, str):
        raise Invalid(_("%(label)s must be a date and time.", label=label), field=field)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(_("%(label)s must be a date and time, for example 2026-12-01T08:00.", label=label),
                      field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_zone())
    if not 2000 <= parsed.year <= 2100:
        raise Invalid(_("%(label)s must be a date and time, for example 2026-12-01T08:00.", label=label), field=field)
    return parsed.astimezone(timezone.utc)
