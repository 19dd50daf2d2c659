"""What every socket handler shares: a payload check, a per-connection rate limit, and errors turned into an
acknowledgement {"ok": false, "error": {"code", "message"}} instead of an exception (nothing escapes a handler)."""
from __future__ import annotations

import functools
import json
import logging
import time

from flask import request
from flask_babel import gettext as _

from server.errors import AppError, Invalid, TooManyRequests
from server.extensions import db

log = logging.getLogger(__name__)

MAX_PAYLOAD = 64 * 1024  # bytes of JSON for one event (ink strokes included)


class RateLimit:
    """A token bucket per connection and event: `rate` a second, bursts of `burst`."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, sid: str) -> bool:
        now = time.monotonic()
        tokens, then = self.buckets.get(sid, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1:
            self.buckets[sid] = (tokens, now)
            return False
        self.buckets[sid] = (tokens - 1, now)
        return True

    def forget(self, sid: str) -> None:
        self.buckets.pop(sid, None)


LIMITS: list[RateLimit] = []


def forget(sid: str) -> None:
    for limit in LIMITS:
        limit.forget(sid)


def ok(**data) -> dict:
    return {"ok": True, **data}


def failure(exc: AppError) -> dict:
    return {"ok": False, "error": exc.to_dict()["error"]}


def guarded(socketio, name: str, *, rate: float | None = None, burst: int = 10):
    """Registers fn(payload: dict) as the handler of `name`; its return value (a dict) is the acknowledgement."""
    limit = RateLimit(rate, burst) if rate else None
    if limit:
        LIMITS.append(limit)

    def decorate(fn):
        @socketio.on(name)
        @functools.wraps(fn)
        def handler(payload=None, *extra):
            try:
                if limit and not limit.allow(request.sid):
                    raise TooManyRequests(_("Too many messages. Slow down."), code="rate_limited")
                if payload is None:
                    payload = {}
                if not isinstance(payload, dict) or extra:
                    raise Invalid(_("The message must be one JSON object."), code="bad_payload")
                if len(json.dumps(payload, separators=(",", ":"))) > MAX_PAYLOAD:
                    raise Invalid(_("The message is too large."), code="payload_too_large")
                return fn(payload) or ok()
            except AppError as exc:
                db.session.rollback()
                return failure(exc)
            except Exception:
                db.session.rollback()
                log.exception("socket event %s failed", name)
                return {"ok": False, "error": {"code": "server_error",
                                               "message": _("Something went wrong on the server. Please try again.")}}
        return handler

    return decorate
