"""Account pages for the system administrator: the list, a new account, and editing one.

Thin: parse the form, call the service (which refuses non-administrators with Forbidden), flash, redirect.
A refused change re-renders the form with the message and what was typed; nothing is changed.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from server.errors import AppError, Forbidden, NotFound
from server.users import service

bp = Blueprint("users", __name__, url_prefix="/admin/users")

TEXT_FIELDS = ("full_name", "position_title", "email")
NEW_CHECKBOXES = ("is_admin", "can_create_meetings")
EDIT_CHECKBOXES = ("is_admin", "can_create_meetings", "disabled")


def _me():
    return current_user._get_current_object()


def _form_data(text_fields, checkboxes) -> dict:
    data = {name: request.form.get(name, "") for name in text_fields}
    # An unticked box is not sent at all: say "no" so that unticking changes something.
    data.update({name: "1" if request.form.get(name) else "0" for name in checkboxes})
    return data


def _form(values: dict, exc: AppError | None = None) -> dict:
    values = {k: v for k, v in values.items() if k != "password"}  # never echo a password back
    return {"values": values, "message": str(exc.message) if exc else None, "field": exc.field if exc else None}


def _refuse_quietly(exc: AppError) -> None:
    if isinstance(exc, (NotFound, Forbidden)):
        raise exc


@bp.get("/")
@bp.get("", endpoint="index_no_slash")  # /admin/users as typed, without a redirect
@login_required
def index():
    return render_template("users/index.html", users=service.list_users(_me()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    service.list_users(_me())  # only administrators get this far
    if request.method == "GET":
        return render_template("users/form.html", user=None, form=_form({"can_create_meetings": False}))
    data = _form_data(("username", "password", *TEXT_FIELDS), NEW_CHECKBOXES)
    try:
        user = service.create_user(_me(), data)
    except AppError as exc:
        _refuse_quietly(exc)
        return render_template("users/form.html", user=None, form=_form(data, exc)), exc.status
    flash(_("The account %(username)s was created.", username=user.username), "success")
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    user = service.get_user(_me(), user_id)
    if request.method == "GET":
        values = {name: getattr(user, name) or "" for name in TEXT_FIELDS}
        values.update({name: getattr(user, name) for name in EDIT_CHECKBOXES})
        return render_template("users/form.html", user=user, form=_form(values))
    data = _form_data(("password", *TEXT_FIELDS), EDIT_CHECKBOXES)
    try:
        service.update_user(_me(), user_id, data)
    except AppError as exc:
        _refuse_quietly(exc)
        return render_template("users/form.html", user=user, form=_form(data, exc)), exc.status
    flash(_("The account %(username)s was saved.", username=user.username), "success")
    return redirect(url_for("users.index"))
