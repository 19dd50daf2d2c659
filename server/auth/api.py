"""POST/GET/DELETE /api/v1/session: log in and out from another client (cookie session)."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from server.api.helpers import json_body
from server.auth import service
from server.auth.routes import end_login_session, start_login_session
from server.extensions import csrf
from server.users.serializers import user_json

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")


def _session_json():
    me = current_user._get_current_object() if current_user.is_authenticated else None
    return {"user": user_json(me, private=True) if me else None, "csrf_token": generate_csrf()}


@bp.get("/session")
def get_session():
    return _session_json()


@bp.post("/session")
@csrf.exempt  # nothing to protect before login; a JSON body forces a CORS preflight, which cross-site pages fail
def create_session():
    data = json_body()
    user, raw = service.log_in(str(data.get("username") or ""), str(data.get("password") or ""),
                               remote_addr=request.remote_addr or "", user_agent=request.headers.get("User-Agent", ""))
    start_login_session(user, raw)
    return _session_json(), 201


@bp.delete("/session")
def delete_session():
    end_login_session()
    return "", 204
