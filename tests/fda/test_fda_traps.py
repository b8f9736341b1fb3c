"""Every real-data trap of issue 11, each on a hand-made file in openFDA's real bulk layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fda_traps import ABSENT, clearance, event, real_file

from healthpm.config import Settings
from healthpm.errors import DataFileError
from healthpm.fda import importer, queries, service, store
from healthpm.fda.synthetic_files import write_bulk_file


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return store.connect(tmp_path / "fda.duckdb")


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    row = con.execute(sql, params).fetchone()
    return row[0] if row else None


def test_excerpt_is_the_event_description_not_the_first_text_alphabetically(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    texts = [
        {"mdr_text_key": "1", "text_type_code": "Additional Manufacturer Narrative",
         "patient_sequence_number": "1", "text": "A SERVICE REP EVALUATED THE SYSTEM."},
        {"mdr_text_key": "2", "text_type_code": "Description of Event or Problem",
         "patient_sequence_number": "1", "text": "IT WAS REPORTED THAT THE PUMP OCCLUDED."},
    ]  # fmt: skip
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                                        [event("1001", mdr_text=texts)]))  # fmt: skip
    data = service.failure_modes(con, service.resolve_scope(con, product_code="LZG"))
    assert data["examples"][0]["excerpt"] == "IT WAS REPORTED THAT THE PUMP OCCLUDED."


def test_real_sample_excerpts_are_event_descriptions(
    con: duckdb.DuckDBPyConnection, samples_dir: Path, tmp_path: Path
) -> None:
    src = samples_dir / "bulk-layout" / "device-event-0001-of-0001.json"
    importer.import_file(con, src)
    data = service.failure_modes(con, service.resolve_scope(con, product_code="JAA"))
    excerpts = {e["mdr_report_key"]: e["excerpt"] for e in data["examples"]}
    assert excerpts["1312172"].startswith("CUSTOMER REPORTED THE INSTALLATION")


def test_follow_up_wins_by_its_date_not_by_import_order(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    follow_up = event(
        "2001",
        event_type="Death",
        type_of_report=["Initial submission", "Followup"],
        date_manufacturer_received="20240610",
    )
    initial = event("2001", event_type="Injury")
    importer.import_file(con, real_file(tmp_path / "b" / "device-event-0002-of-0002.json.zip",
                                        [follow_up]))  # fmt: skip
    result = importer.import_file(
        con, real_file(tmp_path / "a" / "device-event-0001-of-0002.json.zip", [initial])
    )
    assert result.older_versions == 1
    assert _one(con, "SELECT event_type FROM event WHERE rid = 2001") == "Death"
    assert _one(con, "SELECT count(*) FROM event WHERE rid = 2001") == 1


def test_terms_and_codes_are_case_and_space_normalized(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    records = [
        event("3001", product_problems=["Break"]),
        event("3002", product_problems=["break "]),
        event("3003", device=[{"device_report_product_code": " lzg "}]),
    ]
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip", records))
    assert _one(con, "SELECT count(*) FROM term_vocab WHERE term_key = 'break'") == 1
    queries.scope_reports(con, ["LZG"], None)
    terms = queries.device_problems(con)["categories"][0]["terms"]
    assert terms == [{"term": "Break", "imdrf_code": "A0401", "reports": 3}]  # one term
    assert _one(con, "SELECT count(DISTINCT rid) FROM event_device WHERE product_code='LZG'") == 3
    before = _one(con, "SELECT count(*) FROM product_code")
    classification = {"product_code": " lzg", "device_name": "Pump, Infusion, Insulin",
                      "device_class": "2", "review_panel": "HO",
                      "submission_type_id": "1"}  # fmt: skip
    importer.import_file(con, real_file(tmp_path / "device-classification-0001-of-0001.json.zip",
                                        [classification]))  # fmt: skip
    assert _one(con, "SELECT count(*) FROM product_code") == before  # replaced, not a 2nd LZG
    assert _one(con, "SELECT count(*) FROM product_code WHERE product_code = 'LZG'") == 1


def test_recall_keys_and_root_causes_are_normalized(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    recalls = [
        {"product_res_number": "Z-0002-2024", "product_code": "LZG",
         "root_cause_description": "Employee Error", "event_date_initiated": "2024-01-02"},
        {"product_res_number": "Z-0003-2024 ", "product_code": "LZG",
         "root_cause_description": "Employee error", "event_date_initiated": "2024-02-02"},
    ]  # fmt: skip
    enforcement = [{"recall_number": "Z-0003-2024", "classification": "Class II",
                    "center_classification_date": "20240301"}]  # fmt: skip
    importer.import_file(con, real_file(tmp_path / "device-recall-0001-of-0001.json.zip", recalls))
    importer.import_file(
        con, real_file(tmp_path / "device-enforcement-0001-of-0001.json.zip", enforcement)
    )
    data = service.recalls(con, service.resolve_scope(con, product_code="LZG"))
    assert [(r["root_cause"], r["recalls"]) for r in data["by_root_cause"]] == [
        ("Employee Error", 2)
    ] or [(r["recalls"]) for r in data["by_root_cause"]] == [2]
    classes = {r["classification"]: r["recalls"] for r in data["by_classification"]}
    assert classes["Class II"] == 1  # "Z-0003-2024 " joins its enforcement record


def test_malformed_records_are_quarantined_and_the_rest_imports(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    bad_patient = event("4002", patient=[{"patient_problems": "Hyperglycemia"}])
    bad_problems = event("4003", product_problems="Break")
    records = [event("4001"), bad_patient, bad_problems, event("4004")]
    result = importer.import_file(
        con, real_file(tmp_path / "device-event-0001-of-0001.json.zip", records)
    )
    assert (result.records, result.quarantined) == (2, 2)
    assert "quarantined" in result.summary()
    reasons = dict(con.execute("SELECT record_key, reason FROM quarantine").fetchall())
    assert reasons["4002"] == "patient[0].patient_problems is text where a list belongs"
    assert reasons["4003"] == "product_problems is text where a list belongs"
    status = service.store_status(con)
    assert status["imported"][0]["quarantined"] == 2


def test_unparseable_dates_are_counted_and_reported(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    records = [event("5001", date_received="2024-03-05"), event("5002", date_received="")]
    result = importer.import_file(
        con, real_file(tmp_path / "device-event-0001-of-0001.json.zip", records)
    )
    assert result.bad_dates == {"date_received": 1}  # ISO in a YYYYMMDD field; "" is missing
    assert "unparseable dates" in result.summary()
    k = clearance("K240005", "20240105", "20240301")  # YYYYMMDD in a YYYY-MM-DD field
    r2 = importer.import_file(con, real_file(tmp_path / "device-510k-0001-of-0001.json.zip", [k]))
    assert r2.bad_dates == {"date_received": 1, "decision_date": 1}
    status = {f["dataset"]: f for f in service.store_status(con)["imported"]}
    assert status["device-510k"]["bad_date_fields"] == {"date_received": 1, "decision_date": 1}


@pytest.mark.parametrize(
    ("name", "results", "message"),
    [
        ("device-event-0001-of-0001.json.zip", [clearance("K1", "2024-01-01", "2024-02-01")],
         "none of its 1 records has a device-event field"),
        ("device-510k-0001-of-0001.json.zip", [event("1")], "has a device-510k field"),
        ("device-event-0001-of-0001.json.zip", ABSENT, "no `results`"),
        ("device-event-0001-of-0001.json.zip", None, "`results` is null"),
        ("device-event-0001-of-0001.json.zip", {"mdr_report_key": "1"}, "`results` is object"),
    ],
)  # fmt: skip
def test_wrong_dataset_or_shape_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, results: Any, message: str
) -> None:
    path = real_file(tmp_path / name, results)
    with pytest.raises(DataFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        importer.import_file(con, path)
    assert _one(con, "SELECT count(*) FROM imported_file") == 0


def test_wrong_shape_is_one_line_and_exit_2_in_the_cli(
    settings: Settings, tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip", None)
    assert cli("fda", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "`results` is null" in err


def test_demo_never_overwrites_real_records_and_is_removable(
    settings: Settings, tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    real_k = clearance("K211001", "2021-01-04", "2021-03-01", product_code="ETB")
    path = real_file(tmp_path / "device-510k-0001-of-0001.json.zip", [real_k])
    assert cli("fda", "import", str(path)) == 0
    # a synthetic file claiming the same key cannot replace it
    forged = write_bulk_file(tmp_path / "syn" / "device-510k-0001-of-0001.json.zip",
                             [{**real_k, "product_code": "QBJ"}])  # fmt: skip
    assert cli("fda", "import", str(forged)) == 0
    assert "1 synthetic records not applied over FDA records" in capsys.readouterr().out
    assert cli("fda", "demo") == 0
    capsys.readouterr()
    con = store.connect(settings.fda_store_path)
    try:
        assert _one(con, "SELECT product_code FROM clearance WHERE k_number='K211001'") == "ETB"
        real_keys = _one(con, "SELECT count(*) FROM clearance c JOIN imported_file f"
                               " USING (file_id) WHERE f.synthetic AND c.k_number NOT LIKE"
                               " 'SYN-%'")  # fmt: skip
        assert real_keys == 0  # every synthetic K number is in the SYN- space
        assert _one(con, "SELECT min(rid) FROM event") >= 9_000_000_000
        sources = {(f["dataset"], f["source"]) for f in service.store_status(con)["imported"]}
        assert ("device-510k", "openFDA") in sources
        assert ("device-510k", "SYNTHETIC (healthpm demo)") in sources
    finally:
        con.close()
    assert cli("fda", "status") == 0
    out = capsys.readouterr().out
    assert "device-510k [openFDA]: 1 files, 1 records" in out
    assert cli("fda", "demo", "--remove") == 0
    assert "FDA data untouched" in capsys.readouterr().out
    con = store.connect(settings.fda_store_path)
    try:
        assert _one(con, "SELECT count(*) FROM clearance") == 1
        assert _one(con, "SELECT count(*) FROM event") == 0
        assert _one(con, "SELECT count(*) FROM imported_file WHERE synthetic") == 0
    finally:
        con.close()


def test_mixed_store_is_labelled_per_source(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                                        [event("6001")]))  # fmt: skip
    syn = write_bulk_file(tmp_path / "s" / "device-event-0001-of-0001.json.zip",
                          [event("9000000001"), event("9000000002")])  # fmt: skip
    importer.import_file(con, syn)
    data = service.failure_modes(con, service.resolve_scope(con, product_code="LZG"))
    assert data["notes"][0].startswith("SYNTHETIC: 2 of 3 records")
    assert "the other 1 are FDA data" in data["notes"][0]
    assert data["source"].startswith("Source: openFDA device/event, exported 2025-03-01; 1 rec")
    rows = {f["synthetic"]: f["records"] for f in service.store_status(con)["imported"]}
    assert rows == {False: 1, True: 2}


def test_review_times_exclude_negative_and_missing_intervals(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    records = [clearance(f"K24{i:04d}", "2024-01-01", f"2024-0{2 + i % 6}-01") for i in range(8)]
    records.append(clearance("K249998", "2024-03-01", "2024-01-31"))  # decided before receipt
    records.append(clearance("K249999", "", "2024-03-01"))  # missing receipt date
    importer.import_file(con, real_file(tmp_path / "device-510k-0001-of-0001.json.zip", records))
    data = service.clearance_times(con, scope=service.resolve_scope(con, product_code="LZG"))
    assert data["excluded"] == {"missing_date": 1, "negative_interval": 1}
    assert data["overall"]["n"] == 8 and data["overall"]["p25"] > 0
    assert data["overall"]["small_n"] is True
    assert data["overall"]["median_ci_low"] is not None  # n=8: ranks 1..8
    assert any("decided before they were received" in n for n in data["notes"])
    assert any("an anecdote, not an expectation" in n for n in data["notes"])


def test_expected_time_uses_a_year_window_and_warns_under_min_n(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from datetime import date

    old = clearance("K001142", "2000-04-10", "2000-06-23")
    importer.import_file(con, real_file(tmp_path / "device-510k-0001-of-0001.json.zip", [old]))
    timeline = service.regulatory_timeline(con, "LZG", today=date(2026, 6, 1))
    assert timeline["n"] == 0 and timeline["older_clearances"] == 1
    assert "no stored clearances (decisions 2022 on)" in timeline["summary"]
    recent = clearance("K240001", "2024-01-01", "2024-03-15")
    importer.import_file(con, real_file(tmp_path / "b" / "device-510k-0001-of-0001.json.zip",
                                        [recent]))  # fmt: skip
    timeline = service.regulatory_timeline(con, "LZG", today=date(2026, 6, 1))
    assert timeline["n"] == 1 and "Warning: n=1 is too few" in timeline["summary"]


def test_results_carry_a_source_line_for_real_data(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    k = clearance("K240001", "2024-01-01", "2024-03-15")
    importer.import_file(
        con,
        real_file(tmp_path / "device-510k-0001-of-0001.json.zip", [k]),
        rel_path="device/510k/device-510k-0001-of-0001.json.zip",
        export_date="2025-03-02",
    )
    data = service.clearance_times(con, scope=service.resolve_scope(con, product_code="LZG"))
    assert data["source"] == (
        "Source: openFDA device/510k, exported 2025-03-02; 1 records from 1 file "
        "(device/510k/device-510k-0001-of-0001.json.zip)."
    )
    assert data["synthetic_records"] == 0


def test_predicates_accept_a_padded_code(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    k = clearance("K240001", "2024-01-01", "2024-03-15")
    importer.import_file(con, real_file(tmp_path / "device-510k-0001-of-0001.json.zip", [k]))
    data = service.predicates(con, " lzg")
    assert data["candidates"][0]["k_number"] == "K240001"
    assert data["source"].startswith("Source: openFDA device/510k, exported 2025-03-01")
    assert data["synthetic_records"] == 0 and not data["candidates"][0]["synthetic"]


def test_json_records_are_plain(tmp_path: Path) -> None:
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip", [event("1")])
    assert path.stat().st_size > 0 and json.dumps(event("1"))


def test_single_file_whose_meta_total_differs_is_flagged(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    meta = {"last_updated": "2025-03-01", "results": {"skip": 0, "limit": 5, "total": 5}}
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                     [event("1"), event("2"), event("3")], meta=meta)  # fmt: skip
    result = importer.import_file(con, path)
    assert result.records == 3 and result.meta_total == 5
    assert "meta.results.total says 5" in result.summary()


def test_api_count_response_is_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    counts = [{"term": "Malfunction", "count": 3}, {"term": "Injury", "count": 1}]
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip", counts)
    with pytest.raises(DataFileError, match="another dataset's file or an API response"):
        importer.import_file(con, path)


def test_leftovers_of_a_killed_import_are_removed(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    leftover = tmp_path / importer.TMP_DIR / "healthpm-import-dead"
    leftover.mkdir(parents=True)
    (leftover / "big.records.json").write_text("[]")
    importer.import_file(con, real_file(tmp_path / "x" / "device-event-0001-of-0001.json.zip",
                                        [event("1")]))  # fmt: skip
    assert not leftover.exists()


def test_a_schema_1_store_is_migrated_and_its_narratives_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    texts = [{"mdr_text_key": "1", "text_type_code": "Description of Event or Problem",
              "text": "Occlusion alarm at night"}]  # fmt: skip
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                                        [event("1", mdr_text=texts)]))  # fmt: skip
    for statement in (  # make it look like a store written by schema version 1
        "DELETE FROM narrative_word",
        "ALTER TABLE event DROP COLUMN version",
        "ALTER TABLE imported_file DROP COLUMN quarantined",
        "UPDATE store_meta SET value = '1' WHERE key = 'schema_version'",
    ):
        con.execute(statement)
    con.close()
    con = store.connect(path)
    assert views_search_count(con, "occlusion") == 1
    assert _one(con, "SELECT count(*) FROM imported_file WHERE quarantined IS NULL") == 1
    con.close()


def views_search_count(con: duckdb.DuckDBPyConnection, words: str) -> int:
    from healthpm.fda import views

    return int(views.search(con, words)["reports"])


def test_cli_failure_modes_says_how_many_reports_carry_terms(
    settings: Settings, tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [event("1"), event("2", product_problems=[])]
    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip", records)
    assert cli("fda", "import", str(path)) == 0
    capsys.readouterr()
    assert cli("fda", "failure-modes", "--product-code", "LZG") == 0
    assert "1 of 2 reports carry device-problem terms" in capsys.readouterr().out


def test_empty_risk_register_says_why(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    from healthpm.portfolio import service as portfolio

    path = real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                     [event("1", product_problems=["Insufficient Information"])])  # fmt: skip
    importer.import_file(con, path)
    register = portfolio.draft_risk_register(con, service.resolve_scope(con, product_code="LZG"))
    assert register["rows"] == [] and register["notes"][0].startswith("No rows: none of the 1")
    assert "No rows" in portfolio.risk_register_markdown(register)


def test_demo_classification_rows_never_pose_as_fda_rows(settings: Settings, cli: Any) -> None:
    assert cli("fda", "demo") == 0
    con = store.connect(settings.fda_store_path)
    try:
        posing = _one(
            con,
            "SELECT count(*) FROM product_code WHERE source LIKE 'openFDA%' AND file_id IN"
            " (SELECT file_id FROM imported_file WHERE synthetic)",
        )
        assert posing == 0
        assert _one(con, "SELECT count(*) FROM product_code WHERE product_code = 'LZG'") == 1
    finally:
        con.close()
