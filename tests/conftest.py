"""Fixtures: an app from the factory on a migrated database (SQLite, or PostgreSQL when DATABASE_URL is set),
clients that carry their CSRF token, and factories for users and meetings."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from server import create_app
from server.config import normalise_database_url
from server.extensions import db

PASSWORD = "mat-khau-123"
_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose


def _pg_admin_url(url: str) -> sa.URL:
    return sa.make_url(normalise_database_url(url))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database for this test run only: a fresh PostgreSQL database when DATABASE_URL is set, else a SQLite file."""
    given = os.environ.get("DATABASE_URL")
    if not given:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    base = _pg_admin_url(given)
    name = f"{base.database}_pytest_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_app(database_url: str, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LOGIN_DELAY_SECONDS": 0.0,
        "SERVER_NAME": None,
        # Flask-SocketIO's test client cannot run over a message queue; tests that need Redis pass REDIS_URL.
        "REDIS_URL": None,
        # Background work (rendering) as real threads: nothing runs an eventlet hub inside pytest.
        "SOCKETIO_ASYNC_MODE": "threading",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _migrated(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    app = make_app(database_url, tmp_path_factory.mktemp("migrate"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return True


class CSRFClient(FlaskClient):
    """A test client that sends its session's CSRF token with every change, as the pages and API clients do."""

    def csrf_token(self) -> str:
        return self.get("/api/v1/session").get_json()["csrf_token"]

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if method not in ("GET", "HEAD", "OPTIONS") and not kwargs.pop("no_csrf", False):
            headers = dict(kwargs.pop("headers", None) or {})
            if "X-CSRFToken" not in headers:
                headers["X-CSRFToken"] = self.csrf_token()
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        response = self.post("/api/v1/session", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return response


@pytest.fixture
def app(_migrated, database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    app.test_client_class = CSRFClient
    yield app
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(sa.text(f'DELETE FROM "{table}"'))
        db.engine.dispose()


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def new_client(app):
    """Another person's browser: a separate cookie jar."""
    return lambda: app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def make_user(app):
    from server.models import User

    def make(username: str, **fields) -> User:
        with app.app_context():
            user = User(username=username, full_name=fields.pop("full_name", username.title()),
                        password_hash=fields.pop("password_hash", _HASH), **fields)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def local_time(days: int = 1, hour: int = 8) -> datetime:
    return (datetime.now(timezone.utc) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def make_meeting(app, make_user):
    """make_meeting(status=..., people={"chair": "chair", "d1": "delegate", ...}) -> (meeting id, {username: user id}).

    The secretary is the user "secretary" unless secretary= names another; people are created when missing."""
    from server.models import AgendaItem, Meeting, Participant, User

    def make(*, status="published", people=None, items=("Báo cáo kinh tế – xã hội", "Dự toán ngân sách"),
             secretary="secretary", title="Phiên họp thường kỳ tháng 11", voting=("chair", "delegate")):
        people = {secretary: "secretary", **(people or {})}
        with app.app_context():
            ids = {}
            for username in people:
                user = db.session.scalar(sa.select(User).where(User.username == username))
                if user is None:
                    user = User(username=username, full_name=username.title(), password_hash=_HASH,
                                can_create_meetings=(people[username] == "secretary"))
                    db.session.add(user)
                    db.session.flush()
                ids[username] = user.id
            meeting = Meeting(title=title, organization="UBND huyện Thử Nghiệm", location="Phòng họp 1",
                              starts_at=local_time(), status=status)
            meeting.items = [AgendaItem(position=i, title=t) for i, t in enumerate(items)]
            meeting.participants = [Participant(user_id=ids[u], role=r, can_vote=r in voting)
                                    for u, r in people.items()]
            db.session.add(meeting)
            db.session.commit()
            return meeting.id, ids

    return make
