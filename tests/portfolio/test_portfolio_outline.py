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


def test_outline_follows_estar_and_flags_insulin_pumps_as_connected(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    from healthpm.portfolio.outline import ESTAR_SECTIONS

    data = build_outline(loaded, "LZG")
    md = outline_markdown(data)
    names = [name for name, _ in ESTAR_SECTIONS]
    assert names[0] == "Submission Type" and names[-1] == "Administrative Documentation"
    assert "Cybersecurity/Interoperability" in names and "eSTAR" in md
    assert "Truthful and Accuracy Statement" not in names  # the pre-eSTAR list is gone
    assert data["cyber_device"]  # insulin pumps pair with CGMs and phones
    assert "review panel HO (General Hospital)" in md


def test_outline_without_clearances_prints_no_none(loaded: duckdb.DuckDBPyConnection) -> None:
    md = outline_markdown(build_outline(loaded, "DXN"))
    assert "None" not in md and "No percentiles" in md
