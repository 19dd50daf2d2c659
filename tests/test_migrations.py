"""The migrations build exactly the schema the models declare, on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from server.config import normalise_database_url
from server.extensions import db
from tests.conftest import make_app


def _diff_after_upgrade(url: str, tmp_path) -> list:
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
            diff = compare_metadata(context, db.metadata)
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    return diff, left


def test_migrations_match_the_models_on_sqlite(tmp_path):
    diff, left = _diff_after_upgrade(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)
    assert diff == []
    assert left == set()


@pytest.mark.postgres
@pytest.mark.skipif(not (os.environ.get("DATABASE_URL") or "").startswith("postgres"),
                    reason="DATABASE_URL is not set to PostgreSQL (CI sets it)")
def test_migrations_match_the_models_on_postgresql(tmp_path):
    base = sa.make_url(normalise_database_url(os.environ["DATABASE_URL"]))
    name = f"migcheck_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        diff, left = _diff_after_upgrade(base.set(database=name).render_as_string(hide_password=False), tmp_path)
        assert diff == []
        assert left == set()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
