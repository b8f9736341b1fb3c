"""Practice fixtures: a small catalog, a fake engine, the local user, and a CLI runner."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.cli import practice_common
from healthpm.domain.profile import Profile

from .fakes import FakeEngine, make_catalog


@pytest.fixture
def catalog() -> Catalog:
    return make_catalog()


@pytest.fixture
def engine(catalog: Catalog) -> FakeEngine:
    return FakeEngine(catalog)


@pytest.fixture
def user_id(session: Session) -> int:
    return ensure_local_user(session).id


@pytest.fixture
def profile() -> Profile:
    """Targets product-manager; weak on clinical workflow (gap 2) and analytics (gap 1)."""
    return Profile(
        name="Ana",
        background="tech-pm-mid",
        years_experience=5,
        target_level="product-manager",
        hours_per_week=6,
        start_date=date(2026, 12, 1),
        ratings={"clinical-workflow": 0, "product-analytics": 2, "hipaa-privacy": 3},
    )


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """stderr with Rich's wrapping at the console width undone."""
        return " ".join(self.err.split())


Runner = Callable[..., CliResult]


@pytest.fixture
def run_cli(
    session_factory: sessionmaker[Session],
    catalog: Catalog,
    engine: FakeEngine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Runner:
    """Run `healthpm ARGS` through the real error boundary with the fake catalog and engine.

    The engine hook counts loads, so tests can check that bad input never loads the model.
    """
    loads: list[int] = []

    def fake_engine(_catalog: Catalog) -> FakeEngine:
        loads.append(1)
        return engine

    monkeypatch.setattr(practice_common, "catalog", lambda: catalog)
    monkeypatch.setattr(practice_common, "engine", fake_engine)
    monkeypatch.setattr(practice_common, "session_factory", lambda: session_factory)

    def run(*args: str, stdin: str | bytes = b"") -> CliResult:
        from healthpm.cli import app
        from healthpm.cli.common import run_app

        data = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()
        code = run_app(app, list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    run.engine_loads = loads  # type: ignore[attr-defined]
    return run
