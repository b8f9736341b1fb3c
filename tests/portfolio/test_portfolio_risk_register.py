"""Risk register drafts: scoring rules, evidence behind each row, CSV/MD output."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest

from healthpm.errors import InvalidInputError
from healthpm.fda import service as fda
from healthpm.portfolio import service
from healthpm.portfolio.risk_register import probability_score, risk_level, severity_score


def test_scores() -> None:
    assert severity_score(deaths=1, injuries=0, reports=10) == 5
    assert severity_score(deaths=0, injuries=4, reports=10) == 4
    assert severity_score(deaths=0, injuries=1, reports=10) == 3
    assert severity_score(deaths=0, injuries=0, reports=10) == 2
    assert [probability_score(n, 100) for n in (40, 20, 6, 2, 0)] == [5, 4, 3, 2, 1]
    assert probability_score(3, 0) == 1
    assert (risk_level(5, 3), risk_level(4, 2), risk_level(2, 2)) == ("High", "Medium", "Low")


def test_rows_are_seeded_from_observed_failure_modes(loaded: duckdb.DuckDBPyConnection) -> None:
    scope = fda.resolve_scope(loaded, product_code="LZG")
    register = service.draft_risk_register(loaded, scope)
    modes = fda.failure_modes(loaded, scope)
    top = [c["imdrf_code"] for c in modes["device_problems"]["categories"]]
    rows = register["rows"]
    assert 0 < len(rows) <= 10
    assert [r["imdrf_category"].split()[0] for r in rows] == top[: len(rows)]
    assert (
        rows[0]["maude_evidence"] == f"{modes['device_problems']['categories'][0]['reports']}"
        f" of {modes['reports']} reports"
    )
    assert rows[0]["hazard"].startswith("Incorrect delivery")  # A14 for an insulin pump
    assert all(1 <= r["severity"] <= 5 and 1 <= r["probability"] <= 5 for r in rows)
    assert all(r["evidence_source"] == "SYNTHETIC (generated)" for r in rows)
    assert any("not an occurrence rate" in n for n in register["notes"])


def test_csv_and_markdown_outputs(loaded: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    register = service.draft_risk_register(loaded, fda.resolve_scope(loaded, product_code="MDS"))
    csv_path = service.write_risk_register(register, tmp_path / "rr.csv")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(register["rows"])
    assert {"hazard", "severity", "probability", "maude_evidence", "residual_risk"} <= set(rows[0])
    md = service.write_risk_register(register, tmp_path / "rr.md").read_text(encoding="utf-8")
    assert md.startswith("# Risk register (draft): MDS")
    assert "SYNTHETIC" in md and "F23" in md and "| R-01 |" in md


def test_bad_extension_writes_nothing(loaded: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    register = service.draft_risk_register(loaded, fda.resolve_scope(loaded, product_code="LZG"))
    with pytest.raises(InvalidInputError, match="extension"):
        service.write_risk_register(register, tmp_path / "rr.xlsx")
    assert not (tmp_path / "rr.xlsx").exists()


def test_cli_risk_register(
    loaded: duckdb.DuckDBPyConnection,
    cli: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loaded.close()
    out = tmp_path / "register.csv"
    assert cli("portfolio", "risk-register", "--product-code", "DRG", "-o", str(out)) == 0
    assert out.exists() and "SYNTHETIC" in capsys.readouterr().out
    assert cli("portfolio", "risk-register", "--product-code", "ZZZ", "-o", str(out)) == 2


def test_severity_uses_patient_outcomes_and_event_type() -> None:
    assert severity_score(0, 0, 10, hospitalizations=1) == 4  # a malfunction report, hospitalized
    assert severity_score(0, 0, 10, life_threatening=1) == 4
    assert severity_score(0, 0, 10, interventions=1) == 3
    assert severity_score(0, 0, 10) == 2


def test_register_severity_from_stored_outcomes(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fda"))
    from fda_traps import event, real_file

    from healthpm.fda import importer, store

    con = store.connect(tmp_path / "fda.duckdb")
    hosp = [{"patient_sequence_number": "1", "patient_problems": ["Hyperglycemia"],
             "sequence_number_outcome": ["Hospitalization"]}]  # fmt: skip
    records = [event("1", patient=hosp)] + [
        event(
            str(i),
            patient=[
                {
                    "patient_sequence_number": "1",
                    "patient_problems": [],
                    "sequence_number_outcome": ["Other"],
                }
            ],
        )  # fmt: skip
        for i in range(2, 6)
    ]
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip", records))
    register = service.draft_risk_register(con, fda.resolve_scope(con, product_code="LZG"))
    row = register["rows"][0]
    assert row["severity"] == 4 and "hospitalization 1" in row["harm"]
    assert register["synthetic_reports"] == 0 and "SYNTHETIC" not in row["evidence_source"]
    con.close()
