"""Mock 510(k) outline: sections, predicates, SE table, software level, 524B, review time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from healthpm.fda import service as fda
from healthpm.portfolio.outline import SECTIONS, build_outline, outline_markdown


def test_outline_for_a_510k_device(loaded: duckdb.DuckDBPyConnection) -> None:
    data = build_outline(loaded, "drg")
    md = outline_markdown(data)
    assert all(section in md for section in SECTIONS)
    assert data["predicates"] and data["predicates"][0]["k_number"] in md
    assert "| Intended use / indications for use |" in md
    assert data["cyber_device"] and "524B" in md and "SBOM" in md
    assert "Basic" in data["software_level"] or "Enhanced" in data["software_level"]
    timeline = fda.regulatory_timeline(loaded, "DRG")
    assert f"median {timeline['median_days']:.0f} calendar days" in md
    assert md.startswith("> SYNTHETIC DATA")
    assert data["testing_plan"] and "F23" in md


def test_class_three_code_gets_enhanced_and_a_pathway_warning(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    data = build_outline(loaded, "MDS")
    assert data["software_level"].startswith("Enhanced")
    assert "may not be the right pathway" in outline_markdown(data)


def test_cli_outline_writes_markdown_only(
    loaded: duckdb.DuckDBPyConnection,
    cli: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loaded.close()
    out = tmp_path / "outline.md"
    assert cli("portfolio", "510k-outline", "--product-code", "LZG", "-o", str(out)) == 0
    assert out.read_text(encoding="utf-8").count("## ") >= 5
    assert (
        cli("portfolio", "510k-outline", "--product-code", "LZG", "-o", str(tmp_path / "o.csv"))
        == 2
    )
    assert not (tmp_path / "o.csv").exists()
