"""Explore commands over a loaded synthetic store: failure modes, review times, recalls."""

from __future__ import annotations

import json
import statistics
from typing import Any

import duckdb
import pytest

from healthpm.config import Settings
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.fda import reference, service


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def test_failure_modes_counts_have_denominators(loaded: duckdb.DuckDBPyConnection) -> None:
    scope = service.resolve_scope(loaded, product_code="lzg")
    data = service.failure_modes(loaded, scope)
    expected = _one(
        loaded, "SELECT count(DISTINCT mdr_report_key) FROM event_device WHERE product_code='LZG'"
    )
    assert data["reports"] == expected == data["synthetic_reports"]
    dp = data["device_problems"]
    assert dp["reports_with_problem_terms"] <= data["reports"]
    shares = [c["reports"] for c in dp["categories"]]
    assert shares == sorted(shares, reverse=True)
    assert all(c["reports"] <= dp["reports_with_problem_terms"] for c in dp["categories"])
    assert all(
        c["imdrf_code"] not in reference.UNINFORMATIVE_DEVICE_CATEGORIES for c in dp["categories"]
    )
    apart = {t["term"] for t in dp["uninformative"]}
    assert apart & {
        "Insufficient Information",
        "Adverse Event Without Identified Device or Use Problem",
        "Appropriate Term/Code Not Available",
    }
    assert sum(y["total"] for y in data["event_types_by_year"]) == data["reports"]
    assert data["notes"][0].startswith("SYNTHETIC") and "F23" in data["notes"][1]
    assert data["examples"] and all(len(e["excerpt"]) <= 240 for e in data["examples"])


def test_patient_problems_keep_no_impact_terms_apart(loaded: duckdb.DuckDBPyConnection) -> None:
    data = service.failure_modes(loaded, service.resolve_scope(loaded, product_code="MDS"))
    pp = data["patient_problems"]
    assert {t["term"].lower() for t in pp["uninformative"]} <= reference.UNINFORMATIVE_PATIENT_TERMS
    assert not {t["term"].lower() for t in pp["terms"]} & reference.UNINFORMATIVE_PATIENT_TERMS


def test_since_filters_by_year_received(loaded: duckdb.DuckDBPyConnection) -> None:
    scope = service.resolve_scope(loaded, product_code="LZG")
    recent = service.failure_modes(loaded, scope, since=2023)
    assert recent["reports"] < service.failure_modes(loaded, scope)["reports"]
    assert {y["year"] for y in recent["event_types_by_year"]} <= {2023, 2024}


def test_report_with_two_product_codes_counts_under_both(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    rows = loaded.execute(
        "SELECT mdr_report_key FROM event_device GROUP BY 1 HAVING count(DISTINCT product_code) = 2"
    ).fetchall()
    assert len(rows) == 1


def test_clearance_times_match_an_independent_computation(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    scope = service.resolve_scope(loaded, product_code="LZG")
    data = service.clearance_times(loaded, scope=scope)
    days = [
        r[0]
        for r in loaded.execute(
            "SELECT decision_date - date_received FROM clearance WHERE product_code = 'LZG'"
        ).fetchall()
    ]
    overall = data["overall"]
    assert overall["n"] == len(days) == 36
    assert overall["median"] == pytest.approx(statistics.median(days), abs=0.05)
    assert overall["p25"] <= overall["median"] <= overall["p75"] <= overall["p90"]
    assert sum(y["n"] for y in data["by_year"]) == 36
    assert {t["clearance_type"] for t in data["by_clearance_type"]} == {"Traditional", "Special"}
    assert any("cleared" in n and "decisions only" in n for n in data["notes"])


def test_clearance_times_by_panel_and_argument_checks(loaded: duckdb.DuckDBPyConnection) -> None:
    panel = service.clearance_times(loaded, panel="ch")
    assert panel["overall"]["n"] == 36  # MDS is the only CH code in the fixture
    with pytest.raises(InvalidInputError):
        service.clearance_times(loaded)


def test_predicates_are_recent_clearances(loaded: duckdb.DuckDBPyConnection) -> None:
    data = service.predicates(loaded, "drg", limit=5)
    dates = [c["decision_date"] for c in data["candidates"]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert data["regulation_number"] == "870.2910"


def test_recalls_join_enforcement_class(loaded: duckdb.DuckDBPyConnection) -> None:
    data = service.recalls(loaded, service.resolve_scope(loaded, product_code="LZG"))
    assert data["recalls"] == 4
    assert sum(c["recalls"] for c in data["by_classification"]) == 4
    assert all(c["classification"].startswith("Class") for c in data["by_classification"])


def test_unknown_product_code_and_scope_rules(loaded: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(NotFoundError, match="ZZZ"):
        service.resolve_scope(loaded, product_code="ZZZ")
    with pytest.raises(InvalidInputError):
        service.resolve_scope(loaded, product_code="LZG", subdomain="telehealth")


def test_regulatory_timeline(loaded: duckdb.DuckDBPyConnection) -> None:
    lzg = service.regulatory_timeline(loaded, "LZG")
    stats = service.clearance_times(
        loaded, scope=service.resolve_scope(loaded, product_code="LZG"), since=lzg["first_year"]
    )
    assert lzg["pathway"] == "510(k)" and lzg["median_days"] == stats["overall"]["median"]
    assert lzg["summary"].startswith("LZG needs a 510(k): median") and lzg["synthetic"]
    assert service.regulatory_timeline(loaded, "MDS")["pathway"] == "PMA"
    dpz = service.regulatory_timeline(loaded, "DXN")  # valid code, no stored clearances
    assert dpz["n"] == 0 and "no stored clearances" in dpz["summary"]


def test_missing_store_says_what_to_do(settings: Settings) -> None:
    with pytest.raises(NotFoundError, match="healthpm fda demo"), service.fda_store(settings):
        pass


def test_cli_failure_modes_json_and_errors(
    loaded: duckdb.DuckDBPyConnection, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded.close()  # the CLI opens the store itself
    assert cli("fda", "failure-modes", "--product-code", "LZG", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["synthetic_reports"] == data["reports"] > 0
    assert cli("fda", "failure-modes", "--product-code", "LZG") == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    for args in (
        ("clearance-times", "--product-code", "LZG"),
        ("predicates", "--product-code", "LZG"),
        ("recalls", "--product-code", "LZG"),
        ("status",),
    ):
        assert cli("fda", *args) == 0, args
    assert cli("fda", "failure-modes", "--product-code", "ZZZ") == 2
    assert capsys.readouterr().err.startswith("error: unknown product code 'ZZZ'")
