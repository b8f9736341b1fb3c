"""The 0014 migration creates exactly what the story, job and reviewer models declare."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

from healthpm.models import metadata
from healthpm.store import alembic_config

TABLES = {"story", "job_match"}


def test_migrated_schema_matches_the_models(session_factory: sessionmaker[Session]) -> None:
    engine = session_factory.kw["bind"]
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_downgrade_removes_the_new_tables_and_column(
    session_factory: sessionmaker[Session],
) -> None:
    engine = session_factory.kw["bind"]
    url = engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "0002")
    inspector = inspect(engine)
    assert not TABLES & set(inspector.get_table_names())
    assert "reviewer" not in {c["name"] for c in inspector.get_columns("attempt")}
    command.upgrade(alembic_config(url), "heads")
    assert set(inspect(engine).get_table_names()) >= TABLES
