"""`healthpm content check --stale`, `content show`, and citations in the reference commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from healthpm.catalog import content_dir, load_catalog
from healthpm.cli import app
from healthpm.cli import content as content_cli
from healthpm.cli.common import run_app
from healthpm.errors import ContentError


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_app(app, list(args))
    out, err = capsys.readouterr()
    return code, " ".join(out.split()), " ".join(err.split())


@pytest.fixture
def aged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content copy where one glossary term and one salary band were checked long ago."""
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    for name, index, when in (
        ("glossary/a_core.yaml", 0, "2023-01-15"),
        ("salaries.yaml", 1, "2024-05-01"),
    ):
        path = root / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[index]["as_of"] = when
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(content_cli, "load_catalog", lambda: load_catalog(root))
    return root


def test_check_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check")
    assert code == 0
    counts = load_catalog().counts()
    assert f"glossary │ {counts['glossary']}" in out or f"glossary {counts['glossary']}" in out
    assert str(counts["questions"]) in out


def test_check_stale_lists_old_entries_and_exits_0(
    aged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "content", "check", "--stale", "12")
    assert code == 0
    assert "2 entries were last checked before" in out
    assert "2023-01-15" in out and "glossary:hipaa" in out and "content/glossary/a_core.yaml" in out
    assert "2024-05-01" in out and "salaries:s-001-mid-bigtech" in out
    assert out.index("2023-01-15") < out.index("2024-05-01")  # oldest first


def test_check_stale_with_nothing_old_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check", "--stale", "12")
    assert code == 0 and "No dated entry is older than 12 months" in out


def test_check_exits_1_on_invalid_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "glossary/a_core.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data[0]["as_of"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(content_cli, "load_catalog", lambda: load_catalog(root))
    code, _, err = run(capsys, "content", "check", "--stale", "12")
    assert code == ContentError.exit_code == 1
    assert "glossary/a_core.yaml" in err and "as_of" in err and "Traceback" not in err


def test_stale_months_must_not_be_negative(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "content", "check", "--stale", "-1")
    assert code == 2


def test_show_question_prints_points_source_title_as_of_and_links(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "content", "show", "stk-payer-wants-faster-denials")
    assert code == 0
    assert "Talking points:" in out and "Model answer:" not in out
    assert "Navigating a PM Career in Healthcare" in out and ".txt" not in out
    assert "as of 2026-12-02" in out
    assert "https://www.federalregister.gov/citation/88-FR-22120" in out
    code, out, _ = run(capsys, "content", "show", "stk-payer-wants-faster-denials", "--answer")
    assert "Model answer:" in out


def test_show_json_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "show", "imdrf", "--json")
    assert code == 0 and json.loads(out)["as_of"] == "2026-12-02"
    code, _, err = run(capsys, "content", "show", "no-such-entry")
    assert code == 2 and "no question, glossary term or salary band" in err


def test_glossary_and_salaries_show_as_of_and_readable_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "glossary", "USCDI")
    assert code == 0 and "as of 2026-12-02" in out
    assert "https://www.federalregister.gov/citation/90-FR-60970" in out
    code, out, _ = run(capsys, "salaries")
    assert code == 0
    assert "base or total not stated" in out and "indicative only" in out
    assert "Navigating" in out and "_be2c56113838b31f" not in out
