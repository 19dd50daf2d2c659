"""Application factory: builds the app, binds the extensions, registers blueprints, socket handlers and commands."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server import config as config_module
from server.extensions import csrf, db, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config_module.load(app.instance_path, config))
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)

    from server import i18n
    i18n.init_app(app)

    from server.auth import login as auth_login
    auth_login.init_app(app)

    # Flask-SocketIO keeps options from an earlier init_app; a manager left by a previous app (tests build many)
    # must not outlive it.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"],
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        # python-socketio refuses an Origin that differs from the Host by default; keep it that way.
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"),
        max_http_buffer_size=app.config.get("SOCKETIO_MAX_PAYLOAD", 256 * 1024),
    )

    from server.errors import register_error_handlers
    register_error_handlers(app)

    from server.api.openapi import bp as openapi_bp
    from server.annotations.api import bp as annotations_api_bp
    from server.auth.api import bp as auth_api_bp
    from server.auth.routes import bp as auth_bp
    from server.documents.api import bp as documents_api_bp
    from server.documents.routes import bp as documents_bp
    from server.meetings.api import bp as meetings_api_bp
    from server.meetings.routes import bp as meetings_bp
    from server.room.api import bp as room_api_bp
    from server.votes.api import bp as votes_api_bp
    from server.room.routes import bp as room_bp
    from server.users.api import bp as users_api_bp
    from server.users.routes import bp as users_bp

    for blueprint in (auth_bp, auth_api_bp, meetings_bp, meetings_api_bp, users_bp, users_api_bp, documents_api_bp,
                      documents_bp, room_api_bp, room_bp, annotations_api_bp,
                      votes_api_bp, openapi_bp):
        app.register_blueprint(blueprint)

    from server.realtime import events
    events.register(socketio)

    from server import cli
    cli.register(app)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers run beside the writer; synchronous=FULL makes a committed vote survive a power cut.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
