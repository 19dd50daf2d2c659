"""Configuration: defaults, overridden by environment variables (see the table in README.md)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written with owner-only permissions: anyone who reads it can forge sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def normalise_database_url(url: str) -> str:
    # psycopg2 is the driver (it can be made green under eventlet; psycopg 3 cannot).
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://"):]
    return url


def load(instance_path: str, overrides: dict | None = None) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'phonghop.sqlite3'}"
    cfg = {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # A file database has no connection to lose: no ping before each use (it was 1.5 % of a page turn's time).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(ROOT / "uploads"),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SECURE_COOKIES")),
        "SESSION_COOKIE_NAME": "phonghop_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SECURE_COOKIES")),
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_HOURS", "12")) * 3600,
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LANGUAGE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": env.get("TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ("vi", "en"),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead; a long meeting must not expire forms
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        # Failed logins: slowed from LOGIN_SLOW_AFTER failures on, locked after LOGIN_MAX_FAILURES.
        "LOGIN_SLOW_AFTER": int(env.get("LOGIN_SLOW_AFTER", "3")),
        "LOGIN_DELAY_SECONDS": float(env.get("LOGIN_DELAY_SECONDS", "1.0")),
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "6")),
        "LOGIN_LOCK_MINUTES": int(env.get("LOGIN_LOCK_MINUTES", "15")),
        # Documents: a per-file cap (the request cap is a little larger, so the answer can say which file).
        "DOCUMENT_MAX_MB": int(env.get("MAX_UPLOAD_MB", "100")),
        "MAX_CONTENT_LENGTH": (int(env.get("MAX_UPLOAD_MB", "100")) + 2) * 1024 * 1024,
        "DOCUMENT_MAX_PAGES": int(env.get("DOCUMENT_MAX_PAGES", "2000")),
        "DOCUMENT_MAX_SIDE_POINTS": 14400.0,  # the largest page PDF allows without UserUnit (200 inches)
        "RENDER_WORKERS": int(env.get("RENDER_WORKERS") or (os.cpu_count() or 1)),
        "RENDER_CHUNK_PAGES": int(env.get("RENDER_CHUNK_PAGES", "8")),
        "RENDER_TIMEOUT_PER_PAGE": float(env.get("RENDER_TIMEOUT_PER_PAGE", "30")),
        "RENDER_MEMORY_MB": int(env.get("RENDER_MEMORY_MB", "1024")),
    }
    if overrides:
        cfg.update(overrides)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in (overrides or {}) and cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    return cfg
