"""Live room pages: the wall screen (no account, a room link) and the chair's console."""
from __future__ import annotations

from flask import Blueprint, abort

from server.room import service

bp = Blueprint("room", __name__)


@bp.get("/wall/<token>")
def wall(token: str):
    found = service.wall_token(token)
    if found is None:
        abort(404)
    return "wall"  # the page comes with the wall screen UI
