"""Shared fixtures: each test gets its own data dir and SQLite file (or PostgreSQL if set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from healthpm.config import Settings
from healthpm.store import open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Settings:
    """Settings isolated in a temp data dir; HEALTHPM_TEST_DATABASE_URL switches to PostgreSQL."""
    monkeypatch.setenv("HEALTHPM_DATA_DIR", str(tmp_path / "data"))
    url = os.environ.get("HEALTHPM_TEST_DATABASE_URL")
    if url:
        monkeypatch.setenv("HEALTHPM_DATABASE_URL", request.getfixturevalue("pg_schema_url"))
    else:
        monkeypatch.delenv("HEALTHPM_DATABASE_URL", raising=False)
    from healthpm.config import get_settings

    get_settings.cache_clear()
    return Settings(env="test")


@pytest.fixture
def session_factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A migrated store for this test; its engine is disposed (connections closed) after it."""
    factory = open_store(settings)
    yield factory
    engine = factory.kw.get("bind")
    if engine is not None:
        engine.dispose()


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session; the test decides whether to commit."""
    with session_factory() as s:
        yield s


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """HEALTHPM_TEST_DATABASE_URL narrowed to a fresh schema, dropped after the test.

    Each test's tables (and Alembic's version table) live in their own schema, selected
    through libpq's `options=-csearch_path=...`, so tests never see each other's rows.
    """
    from pg_schema import throwaway_schema

    with throwaway_schema(os.environ["HEALTHPM_TEST_DATABASE_URL"], "t_") as url:
        yield url
