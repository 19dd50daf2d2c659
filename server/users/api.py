"""JSON API for accounts (system administrator) and the directory of people a secretary can invite."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required

from server.api.helpers import json_body, user
from server.users import service
from server.users.serializers import user_json

bp = Blueprint("users_api", __name__, url_prefix="/api/v1")


@bp.get("/users")
@login_required
def list_users():
    return {"users": [user_json(u, private=True) for u in service.list_users(user())]}


@bp.post("/users")
@login_required
def create_user():
    return user_json(service.create_user(user(), json_body()), private=True), 201


@bp.patch("/users/<int:user_id>")
@login_required
def update_user(user_id: int):
    return user_json(service.update_user(user(), user_id, json_body()), private=True)


@bp.get("/directory")
@login_required
def directory():
    query = (request.args.get("q") or "").strip().lower()
    people = [u for u in service.directory(user())
              if not query or query in u.full_name.lower() or query in u.username]
    return {"users": [user_json(u) for u in people[:200]]}
