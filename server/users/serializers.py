"""Accounts as JSON."""
from __future__ import annotations

from server.models import User


def user_json(user: User, *, private: bool = False) -> dict:
    data = {"id": user.id, "username": user.username, "full_name": user.full_name,
            "position_title": user.position_title}
    if private:
        data.update({"email": user.email, "is_admin": user.is_admin,
                     "can_create_meetings": user.can_create_meetings, "disabled": user.disabled,
                     "language": user.language})
    return data
