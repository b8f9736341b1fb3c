"""A loaded synthetic FDA store for the portfolio drafts."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from healthpm.config import Settings
from healthpm.fda import importer, store
from healthpm.fda.synthetic_files import write_bundle


@pytest.fixture(scope="session")
def portfolio_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic data for LZG (pump), MDS (class III CGM) and DRG (RF transmitter)."""
    root = tmp_path_factory.mktemp("portfolio")
    bundle = write_bundle(root / "dl", ("LZG", "MDS", "DRG"), events_per_code=80, per_file=200)
    path = root / "fda.duckdb"
    con = store.connect(path)
    importer.import_files(con, bundle.files)
    con.close()
    return path


@pytest.fixture
def loaded(settings: Settings, portfolio_store_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """This test's own copy of the store, open."""
    settings.fda_store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(portfolio_store_file, settings.fda_store_path)
    con = store.connect(settings.fda_store_path)
    yield con
    con.close()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run the healthpm CLI in-process through its error boundary."""
    from healthpm.cli import app
    from healthpm.cli.common import run_app
    from healthpm.config import get_settings

    def run(*args: str) -> int:
        get_settings.cache_clear()
        monkeypatch.setattr(sys, "argv", ["healthpm", *args])
        return run_app(app)

    return run
