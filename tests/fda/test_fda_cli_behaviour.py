"""CLI behaviour from issue 11: usage errors, Ctrl-C, multi-file imports (typer 0.29)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from fda_traps import event, real_file

from healthpm.config import Settings
from healthpm.fda import importer, store


@pytest.mark.parametrize(
    "args",
    [
        ("fda", "clearance-times", "--product-code", "LZG", "--since", "abc"),
        ("fda", "status", "--bogus"),
        ("fda", "predicates"),
        ("fda", "import"),
        ("fda", "failure-modes", "--since", "x"),
        ("portfolio", "risk-register", "--bogus"),
        ("glossary", "--no-such-option"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(*args) == 2
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err + captured.out


def _counts(path: Path) -> tuple[int, int]:
    con = duckdb.connect(str(path))
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM imported_file)"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), int(row[1])


def test_ctrl_c_during_import_exits_130_with_one_line_and_the_store_untouched(
    settings: Settings,
    tmp_path: Path,
    cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = real_file(tmp_path / "a" / "device-event-0001-of-0002.json.zip", [event("11")])
    second = real_file(tmp_path / "b" / "device-event-0002-of-0002.json.zip", [event("12")])
    real_stage = importer._stage

    def interrupted_stage(con: Any, job: Any) -> Any:
        if job.path == second:
            raise KeyboardInterrupt
        return real_stage(con, job)

    monkeypatch.setattr(importer, "_stage", interrupted_stage)
    assert cli("fda", "import", str(first), str(second)) == 130
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("interrupted: 1 of 2 files were imported")
    assert "device-event-0001-of-0002.json.zip" in err[0]
    assert _counts(settings.fda_store_path) == (1, 1)  # the first landed, nothing half-written


def test_duckdb_interrupt_rolls_back_and_becomes_keyboard_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = store.connect(tmp_path / "fda.duckdb")
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip", [event("21")])

    def boom(con: Any, job: Any, file_id: int) -> None:
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(importer, "_save_quarantine", boom)
    with pytest.raises(KeyboardInterrupt):
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM event").fetchone() == (0,)
    con.close()


def test_typer_returned_130_is_reported(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """typer 0.29 turns KeyboardInterrupt into a returned 130 when standalone_mode is off."""
    import typer

    from healthpm.cli.common import run_app

    app = typer.Typer()

    @app.command()
    def work() -> None:
        raise KeyboardInterrupt

    assert run_app(app, []) == 130
    assert capsys.readouterr().err.startswith("interrupted")


def test_multi_file_import_says_which_files_landed(
    settings: Settings, tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    good1 = real_file(tmp_path / "1" / "device-event-0001-of-0003.json.zip", [event("31")])
    bad = real_file(tmp_path / "2" / "device-event-0002-of-0003.json.zip", None)
    good2 = real_file(tmp_path / "3" / "device-event-0003-of-0003.json.zip", [event("33")])
    assert cli("fda", "import", str(good1), str(bad), str(good2)) == 2
    captured = capsys.readouterr()
    assert "device-event-0001-of-0003.json.zip: imported, 1 records" in captured.out
    assert "device-event-0003-of-0003.json.zip: imported, 1 records" in captured.out
    assert "device-event-0002-of-0003.json.zip: NOT imported" in captured.err
    assert "2 of 3 files imported; 1 refused" in captured.err
    assert _counts(settings.fda_store_path) == (2, 2)
