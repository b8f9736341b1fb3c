"""The coaching migration creates exactly what the models declare, and downgrades."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

from healthpm.models import metadata
from healthpm.store import alembic_config

TABLES = {"coach_review", "assignment", "signup_invitation"}


def test_migrated_schema_matches_the_models(session_factory: sessionmaker[Session]) -> None:
    engine = session_factory.kw["bind"]
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_downgrade_and_upgrade_again(session_factory: sessionmaker[Session]) -> None:
    engine = session_factory.kw["bind"]
    url = engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "1201sec")
    tables = set(inspect(engine).get_table_names())
    assert not TABLES & tables and "comment" in tables
    assert "parent_id" not in {c["name"] for c in inspect(engine).get_columns("comment")}
    command.upgrade(alembic_config(url), "heads")
    assert set(inspect(engine).get_table_names()) >= TABLES
