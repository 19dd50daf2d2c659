"""Command-line tools: `flask users create|set-password|list|disable|enable` and `flask seed-demo`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from server import demo
from server.errors import AppError
from server.users import service as users_service


def register(app: Flask) -> None:
    users = AppGroup("users", help="Manage accounts.")

    def _fail(exc: AppError):
        raise click.ClickException(str(exc.message))

    @users.command("create")
    @click.argument("username")
    @click.option("--name", "full_name", required=True, help="Full name, e.g. 'Nguyễn Văn An'.")
    @click.option("--position", "position_title", default="", help="Position (chức vụ).")
    @click.option("--email", default=None)
    @click.option("--admin", is_flag=True, help="System administrator: manages accounts.")
    @click.option("--organizer", is_flag=True, help="May create meetings (a secretary's office).")
    @click.password_option(help="At least 8 characters; asked for when not given.")
    def create(username, full_name, position_title, email, admin, organizer, password):
        try:
            user = users_service.create_user(None, {"username": username, "full_name": full_name,
                                              "position_title": position_title, "email": email,
                                              "password": password, "is_admin": admin,
                                              "can_create_meetings": organizer})
        except AppError as exc:
            _fail(exc)
        click.echo(f"Created {user.username} (id {user.id}).")

    @users.command("set-password")
    @click.argument("username")
    @click.password_option()
    def set_password(username, password):
        user = users_service.find_by_username(username)
        if user is None:
            raise click.ClickException(f"No user {username}.")
        try:
            users_service.set_password(None, user.id, password)
        except AppError as exc:
            _fail(exc)
        click.echo(f"Password of {user.username} changed; their sessions were ended.")

    @users.command("list")
    def list_users():
        for user in users_service.list_users(None):
            flags = ",".join(f for f, on in (("admin", user.is_admin), ("organizer", user.can_create_meetings),
                                             ("DISABLED", user.disabled)) if on)
            click.echo(f"{user.id:>5}  {user.username:<24} {user.full_name:<32} {flags}")

    @users.command("disable")
    @click.argument("username")
    def disable(username):
        _set_disabled(username, True)

    @users.command("enable")
    @click.argument("username")
    def enable(username):
        _set_disabled(username, False)

    def _set_disabled(username: str, disabled: bool):
        user = users_service.find_by_username(username)
        if user is None:
            raise click.ClickException(f"No user {username}.")
        users_service.set_disabled(None, user.id, disabled)
        click.echo(f"{user.username} {'disabled; their sessions were ended' if disabled else 'enabled'}.")

    app.cli.add_command(users)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create the demo meeting and accounts on an empty database (never twice)."""
        created = demo.seed()
        click.echo("Demo data created." if created else "Demo data already present; nothing changed.")
        demo.print_accounts(click.echo)
