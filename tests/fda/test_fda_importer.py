"""Importing bulk files: real samples, idempotency, follow-ups, edge cases, bad files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from healthpm.errors import DataFileError, NotFoundError
from healthpm.fda import importer, store
from healthpm.fda.synthetic_files import Bundle, write_bulk_file


def _zip_samples(samples: Path, out: Path) -> list[Path]:
    paths = []
    for src in sorted((samples / "bulk-layout").glob("*.json")):
        target = out / (src.name + ".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(src, src.name)
        paths.append(target)
    return paths


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> int:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return store.connect(tmp_path / "fda.duckdb")


def test_real_samples_import_into_typed_tables(
    con: duckdb.DuckDBPyConnection, samples_dir: Path, tmp_path: Path
) -> None:
    results = importer.import_files(con, _zip_samples(samples_dir, tmp_path))
    by_dataset = {r.dataset: r for r in results}
    assert by_dataset["device-event"].records == 3
    assert by_dataset["device-510k"].records == 3
    assert by_dataset["device-recall"].records == 2
    # the real enforcement sample has no recall_number: skipped and said so, not invented
    assert (by_dataset["device-enforcement"].records, by_dataset["device-enforcement"].skipped) == (
        0,
        1,
    )
    assert not any(r.synthetic for r in results)
    row = con.execute(
        "SELECT date_received, event_type FROM event WHERE mdr_report_key = '1312172'"
    ).fetchone()
    assert row is not None and str(row[0]) == "2009-02-17" and row[1] == "Malfunction"
    assert _count(con, "SELECT count(*) FROM clearance WHERE decision_date IS NOT NULL") == 3
    # classification import replaces the shipped reference row for the same product code
    assert _count(con, "SELECT count(*) FROM product_code WHERE product_code = 'GBY'") == 1


def test_reimport_adds_nothing(loaded: duckdb.DuckDBPyConnection, bundle: Bundle) -> None:
    con = loaded
    before = _count(con, "SELECT count(*) FROM event")
    devices = _count(con, "SELECT count(*) FROM event_device")
    again = importer.import_files(con, bundle.files)
    assert {r.status for r in again} == {"unchanged"}
    assert _count(con, "SELECT count(*) FROM event") == before
    assert _count(con, "SELECT count(*) FROM event_device") == devices
    assert before == _count(con, "SELECT count(DISTINCT mdr_report_key) FROM event")


def test_same_records_in_another_file_do_not_duplicate(
    con: duckdb.DuckDBPyConnection, bundle: Bundle, tmp_path: Path
) -> None:
    importer.import_file(con, bundle.files[0])
    with zipfile.ZipFile(bundle.files[0]) as archive:
        data = json.loads(archive.read(archive.namelist()[0]))
    copy = write_bulk_file(tmp_path / "device-event-0001-of-0001.json", data["results"])
    result = importer.import_file(con, copy)
    assert result.status == "imported" and result.synthetic
    assert _count(con, "SELECT count(*) FROM event") == len(data["results"])


def test_follow_up_replaces_the_initial_report(
    loaded: duckdb.DuckDBPyConnection, bundle: Bundle
) -> None:
    con = loaded
    key = bundle.edge_keys["follow_up"]
    assert _count(con, "SELECT count(*) FROM event WHERE mdr_report_key = ?", [key]) == 1
    row = con.execute("SELECT event_type FROM event WHERE mdr_report_key = ?", [key]).fetchone()
    assert row == ("Injury",)  # the follow-up written in a later file
    assert _count(con, "SELECT count(*) FROM narrative WHERE mdr_report_key = ?", [key]) == 2


def test_edge_cases_survive_import(loaded: duckdb.DuckDBPyConnection, bundle: Bundle) -> None:
    con = loaded
    two_devices, no_problems = bundle.edge_keys["two_devices"], bundle.edge_keys["no_problems"]
    codes = con.execute(
        "SELECT list(DISTINCT product_code ORDER BY product_code) FROM event_device"
        " WHERE mdr_report_key = ?",
        [two_devices],
    ).fetchone()
    assert codes is not None and len(codes[0]) == 2
    q = "SELECT count(*) FROM event_product_problem WHERE mdr_report_key = ?"
    assert _count(con, q, [no_problems]) == 0
    row = con.execute(
        "SELECT date_of_event FROM event WHERE mdr_report_key = ?", [no_problems]
    ).fetchone()
    assert row == (None,)
    term = "Incorrect, Inadequate or Imprecise Result or Readings"
    assert _count(con, "SELECT count(*) FROM product_problem WHERE term = ?", [term]) >= 1
    assert _count(con, "SELECT count(*) FROM narrative WHERE text LIKE '%µL%'") == 1


def _snapshot(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    tables = ("imported_file", "event", "event_device", "narrative", "clearance")
    return tuple(_count(con, f"SELECT count(*) FROM {t}") for t in tables)


def test_truncated_zip_leaves_store_unchanged(
    con: duckdb.DuckDBPyConnection, bundle: Bundle, tmp_path: Path
) -> None:
    importer.import_file(con, bundle.files[0])
    before = _snapshot(con)
    data = bundle.files[1].read_bytes()
    broken = tmp_path / bundle.files[1].name
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=broken.name):
        importer.import_file(con, broken)
    assert _snapshot(con) == before


def test_invalid_json_member_is_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "device-event-0001-of-0001.json.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("device-event-0001-of-0001.json", '{"meta": {}, "results": [{"a": 1},')
    before = _snapshot(con)
    with pytest.raises(DataFileError, match="device-event-0001-of-0001.json.zip"):
        importer.import_file(con, path)
    assert _snapshot(con) == before


def test_bad_record_inside_valid_layout_is_quarantined_and_the_rest_imports(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "device-event-0001-of-0001.json"
    good = {"mdr_report_key": "1", "device": [{"device_report_product_code": "LZG"}]}
    bad = {"mdr_report_key": "2", "device": "not a list"}
    path.write_text(json.dumps({"meta": {}, "results": [good, bad]}), encoding="utf-8")
    result = importer.import_file(con, path)
    assert (result.records, result.quarantined) == (1, 1)
    assert _snapshot(con)[0] == 1
    row = con.execute("SELECT record_key, reason FROM quarantine").fetchone()
    assert row == ("2", "device is text where a list belongs")


def test_results_before_meta_uses_the_streaming_fallback(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "device-510k-0001-of-0001.json"
    record = {
        "k_number": "K990001",
        "product_code": "LZG",
        "date_received": "1999-01-04",
        "decision_date": "1999-03-01",
    }
    text = json.dumps({"results": [record], "meta": {"healthpm_synthetic": True}})
    path.write_text(text, encoding="utf-8")
    result = importer.import_file(con, path)
    assert (result.records, result.synthetic) == (1, True)


def test_meta_with_escaped_quotes_and_brackets(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "device-510k-0001-of-0001.json"
    meta = {"disclaimer": 'say "results": [ ] {', "results": {"total": 1}}
    record = {"k_number": "K990002", "product_code": "LZG"}
    path.write_text(json.dumps({"meta": meta, "results": [record]}, indent=2), encoding="utf-8")
    assert importer.import_file(con, path).records == 1


def test_unknown_names_and_missing_files(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    odd = tmp_path / "events.json"
    odd.write_text('{"meta": {}, "results": []}', encoding="utf-8")
    with pytest.raises(DataFileError, match="cannot tell the dataset"):
        importer.import_file(con, odd)
    assert importer.import_file(con, odd, dataset="device-event").records == 0
    with pytest.raises(NotFoundError):
        importer.import_file(con, tmp_path / "nope.json.zip")


def test_expected_record_count_is_checked(con: duckdb.DuckDBPyConnection, bundle: Bundle) -> None:
    with pytest.raises(DataFileError, match="manifest says"):
        importer.import_file(con, bundle.files[0], expected_records=10_000)
    assert _snapshot(con) == (0, 0, 0, 0, 0)


def test_cli_import_bad_file_prints_one_line(
    cli: Any, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "device-event-0001-of-0001.json.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code = cli("fda", "import", str(broken))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: ") and "device-event-0001-of-0001.json.zip" in err
    assert "Traceback" not in err
