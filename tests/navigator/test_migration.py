"""Migration 1202ticks: ticks and hours get a profile (backfilled from the current plan), a
tick is unique per (user, profile, task key), and the downgrade goes back cleanly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import User
from healthpm.models import metadata
from healthpm.navigator.models import Plan, Profile
from healthpm.store import alembic_config

TABLES = ("task_progress", "hours_log")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_migrated_schema_matches_the_models(session_factory: sessionmaker[Session]) -> None:
    engine = session_factory.kw["bind"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    assert [d for d in diffs if any(t in repr(d) for t in TABLES)] == []


def _columns(engine: object, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}  # type: ignore[arg-type]


def test_backfill_takes_the_profile_of_the_current_plan(
    session_factory: sessionmaker[Session],
) -> None:
    engine = session_factory.kw["bind"]
    url = engine.url.render_as_string(hide_password=False)
    with session_factory() as session:
        planned, unplanned = User(email="a@example.org"), User(email="b@example.org")
        session.add_all([planned, unplanned])
        session.flush()
        older = Profile(user_id=planned.id, name="Older", data={})
        newer = Profile(user_id=planned.id, name="Newer", data={})
        session.add_all([older, newer])
        session.flush()
        # The plan made last is the current one, whichever profile was saved last.
        session.add(Plan(user_id=planned.id, profile_id=newer.id, data={}, created_at=T0))
        session.add(
            Plan(
                user_id=planned.id,
                profile_id=older.id,
                data={},
                created_at=T0 - timedelta(days=1),
            )
        )
        session.commit()
        ids = (planned.id, unplanned.id)

    command.downgrade(alembic_config(url), "1202coach")
    assert "profile_name" not in _columns(engine, "task_progress")
    with engine.begin() as conn:
        for uid in ids:
            conn.execute(
                text(
                    "INSERT INTO task_progress (user_id, task_key, done, updated_at)"
                    " VALUES (:u, 'k1', :t, :now)"
                ),
                {"u": uid, "t": True, "now": T0},
            )
            conn.execute(
                text(
                    "INSERT INTO hours_log (user_id, task_key, hours, logged_on, note, created_at)"
                    " VALUES (:u, 'k1', 1.5, :day, '', :now)"
                ),
                {"u": uid, "day": T0.date(), "now": T0},
            )
    command.upgrade(alembic_config(url), "heads")

    with engine.connect() as conn:
        for table in TABLES:
            rows = dict(conn.execute(text(f"SELECT user_id, profile_name FROM {table}")).all())
            assert rows == {ids[0]: "Newer", ids[1]: None}, table
    # Unique per (user, profile, task key): another profile may tick the same task.
    insert = text(
        "INSERT INTO task_progress (user_id, profile_name, task_key, done, updated_at)"
        " VALUES (:u, :p, 'k1', :t, :now)"
    )
    with engine.begin() as conn:
        conn.execute(insert, {"u": ids[0], "p": "Older", "t": True, "now": T0})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"u": ids[0], "p": "Newer", "t": True, "now": T0})

    # Downgrade keeps one row per (user, task key) and drops the columns; upgrade again.
    command.downgrade(alembic_config(url), "1202coach")
    assert "profile_name" not in _columns(engine, "task_progress") | _columns(engine, "hours_log")
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT user_id, task_key FROM task_progress")).all()
    assert sorted(keys) == sorted((uid, "k1") for uid in ids)
    command.upgrade(alembic_config(url), "heads")
    assert "profile_name" in _columns(engine, "task_progress") & _columns(engine, "hours_log")
