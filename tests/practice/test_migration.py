"""The 0002 migration creates exactly what the practice models declare, and downgrades."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

from healthpm.models import metadata
from healthpm.store import alembic_config

PRACTICE_TABLES = {"attempt", "review_card", "mock_session"}


def test_migrated_schema_matches_the_models(session_factory: sessionmaker[Session]) -> None:
    engine = session_factory.kw["bind"]
    assert set(inspect(engine).get_table_names()) >= PRACTICE_TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    ours = [d for d in diffs if any(t in repr(d) for t in PRACTICE_TABLES)]
    assert ours == []


def test_downgrade_removes_only_the_practice_tables(
    session_factory: sessionmaker[Session],
) -> None:
    engine = session_factory.kw["bind"]
    url = engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "practice@0001")
    tables = set(inspect(engine).get_table_names())
    assert not PRACTICE_TABLES & tables and "user_account" in tables
    command.upgrade(alembic_config(url), "heads")
    assert set(inspect(engine).get_table_names()) >= PRACTICE_TABLES
