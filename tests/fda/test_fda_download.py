"""Downloading from a manifest: a local HTTP server serves generated files in the real layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from healthpm.config import Settings
from healthpm.errors import DataFileError, NetworkError, NotFoundError
from healthpm.fda.fetch import download_datasets, downloads_dir
from healthpm.fda.manifest import select_partitions
from healthpm.fda.synthetic_files import Bundle

ALL = [
    "device-event",
    "device-510k",
    "device-pma",
    "device-classification",
    "device-recall",
    "device-enforcement",
]


def _events(settings: Settings) -> int:
    con = duckdb.connect(str(settings.fda_store_path))
    try:
        row = con.execute("SELECT count(*) FROM event").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def test_manifest_layout_is_the_real_one(site: Bundle) -> None:
    event = site.manifest["results"]["device"]["event"]
    assert event["total_records"] == sum(p["records"] for p in event["partitions"])
    files = [p["file"] for p in event["partitions"]]
    assert any(f.endswith("device-event-0002-of-0002.json.zip") for f in files)
    assert any("/all_other/" in f for f in files)
    assert all(isinstance(p["size_mb"], str) for p in event["partitions"])


def test_download_imports_every_dataset_then_skips_unchanged(
    site: Bundle, settings: Settings
) -> None:
    first = download_datasets(settings, ALL)
    assert len(first.downloaded) == len(site.files) and not first.unchanged
    assert all(r.synthetic for r in first.imports)
    events = _events(settings)
    assert events > 0
    second = download_datasets(settings, ALL)
    assert not second.downloaded and len(second.unchanged) == len(site.files)
    assert {r.status for r in second.imports} == {"unchanged"}
    assert _events(settings) == events


def test_since_keeps_recent_quarters_and_the_all_other_partition(
    site: Bundle, settings: Settings
) -> None:
    report = download_datasets(settings, ["device-event"], since=2023, do_import=False)
    assert report.downloaded
    assert all("/2023q" in p or "/2024q" in p or "/all_other/" in p for p in report.downloaded)
    assert any("/all_other/" in p for p in report.downloaded)  # holds the newest reports
    assert not any("/2021q" in p or "/2022q" in p for p in report.downloaded)


def _clearance_years(settings: Settings) -> list[int]:
    con = duckdb.connect(str(settings.fda_store_path))
    try:
        rows = con.execute("SELECT DISTINCT year(decision_date) FROM clearance ORDER BY 1")
        return [int(r[0]) for r in rows.fetchall()]
    finally:
        con.close()


def test_readme_example_downloads_510k_since_2020(
    site: Bundle, settings: Settings, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's `healthpm fda download --dataset device-510k --since 2020`."""
    assert cli("fda", "download", "--dataset", "device-510k", "--since", "2020") == 0
    out = capsys.readouterr().out
    assert "downloaded 1 files" in out and "device-510k-0001-of-0001.json.zip: imported" in out
    assert _clearance_years(settings) == [2021, 2022, 2023, 2024]


def test_since_filters_single_file_datasets_at_import(
    site: Bundle, settings: Settings, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("fda", "download", "--dataset", "device-510k", "--since", "2023", "--json") == 0
    result = json.loads(capsys.readouterr().out)["imports"][0]
    assert result["left_out"] > 0 and result["records"] > 0
    assert _clearance_years(settings) == [2023, 2024]


def test_record_count_mismatch_is_recoverable(
    site: Bundle, settings: Settings, server: Any
) -> None:
    good = (server.root / "download.json").read_text()
    manifest = json.loads(good)
    manifest["results"]["device"]["510k"]["partitions"][0]["records"] += 1
    (server.root / "download.json").write_text(json.dumps(manifest))
    report = download_datasets(settings, ["device-510k", "device-recall"])
    assert len(report.failed) == 1 and "manifest says" in report.failed[0]
    assert "fetches it again" in report.failed[0] and "healthpm fda import" in report.failed[0]
    assert [r.dataset for r in report.imports] == ["device-recall"]  # later datasets still run
    (server.root / "download.json").write_text(good)  # FDA fixes the manifest
    again = download_datasets(settings, ["device-510k"])
    assert again.downloaded and not again.failed  # fetched again, not stuck as "current"
    assert again.imports[0].status == "imported" and _clearance_years(settings)


def test_network_error_mid_download_resumes_next_time(
    site: Bundle, settings: Settings, server: Any
) -> None:
    rel = "/device/510k/device-510k-0001-of-0001.json.zip"
    server.cut_once[rel] = 700
    with pytest.raises(NetworkError, match="run the same command again"):
        download_datasets(settings, ["device-510k"])
    target = downloads_dir(settings) / rel.lstrip("/")
    partial = target.with_name(target.name + ".part")
    assert not target.exists() and partial.stat().st_size == 700
    report = download_datasets(settings, ["device-510k"])
    assert report.downloaded == [rel.lstrip("/")]
    assert (rel, "bytes=700-") in server.requests
    assert target.read_bytes() == (server.root / rel.lstrip("/")).read_bytes()
    assert report.imports[0].records == 36 * 3


def test_corrupt_download_is_deleted_and_refused(
    site: Bundle, settings: Settings, server: Any
) -> None:
    rel = "device/recall/device-recall-0001-of-0001.json.zip"
    path = server.root / rel
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(DataFileError, match="failed verification"):
        download_datasets(settings, ["device-recall"])
    assert not list((downloads_dir(settings) / "device/recall").glob("*"))


def test_record_count_mismatch_exits_2_with_advice(
    site: Bundle, settings: Settings, server: Any, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads((server.root / "download.json").read_text())
    manifest["results"]["device"]["510k"]["partitions"][0]["records"] += 1
    (server.root / "download.json").write_text(json.dumps(manifest))
    assert cli("fda", "download", "--dataset", "device-510k") == 2
    err = capsys.readouterr().err
    assert "manifest says" in err and "Traceback" not in err


def test_manifest_without_the_dataset(site: Bundle, settings: Settings, server: Any) -> None:
    manifest = json.loads((server.root / "download.json").read_text())
    del manifest["results"]["device"]["recall"]
    (server.root / "download.json").write_text(json.dumps(manifest))
    with pytest.raises(NotFoundError, match="device/recall"):
        download_datasets(settings, ["device-recall"])


def test_checksum_from_manifest_is_verified(site: Bundle, settings: Settings, server: Any) -> None:
    manifest = json.loads((server.root / "download.json").read_text())
    manifest["results"]["device"]["510k"]["partitions"][0]["sha256"] = "0" * 64
    (server.root / "download.json").write_text(json.dumps(manifest))
    with pytest.raises(DataFileError, match="sha256"):
        download_datasets(settings, ["device-510k"])


def test_unreachable_server_is_a_network_error(settings: Settings) -> None:
    with httpx.Client() as client:
        settings.fda_manifest_url = "http://127.0.0.1:9/download.json"
        with pytest.raises(NetworkError, match="manifest"):
            download_datasets(settings, ["device-510k"], client=client)


def test_relative_partition_urls_resolve_against_the_manifest() -> None:
    manifest = {
        "results": {
            "device": {
                "510k": {
                    "export_date": "2025-01-01",
                    "partitions": [
                        {"file": "device/510k/device-510k-0001-of-0001.json.zip", "records": "3"}
                    ],
                }
            }
        }
    }
    parts = select_partitions(manifest, "http://h:1/x/download.json", ["device-510k"], None)
    assert parts[0].url == "http://h:1/x/device/510k/device-510k-0001-of-0001.json.zip"
    assert parts[0].records == 3


def test_cli_download_and_network_error_exit_codes(
    site: Bundle, settings: Settings, server: Any, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("fda", "download", "--dataset", "device-510k", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imports"][0]["synthetic"] is True
    server.cut_once["/device/recall/device-recall-0001-of-0001.json.zip"] = 100
    assert cli("fda", "download", "--dataset", "device-recall") == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: download of device/recall/device-recall-0001-of-0001")


def test_downloads_dir_is_under_data_dir(settings: Settings) -> None:
    assert downloads_dir(settings).parent == Path(settings.data_dir)
