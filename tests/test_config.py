"""Configuration from the environment."""
from __future__ import annotations

import os
import stat

from server import create_app


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_environment_variables_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "tu-moi-truong")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.local/hop")
    monkeypatch.setenv("UPLOAD_FOLDER", str(tmp_path / "tep"))
    monkeypatch.setenv("SECURE_COOKIES", "true")
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "tu-moi-truong"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u@db.local/hop"
    assert app.config["UPLOAD_FOLDER"] == str(tmp_path / "tep") and (tmp_path / "tep").is_dir()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'phonghop.sqlite3'}"
