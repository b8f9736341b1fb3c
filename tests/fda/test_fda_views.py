"""The newer workbench views: search, failure trend, manufacturers, PMA, exports, links."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fda_traps import event, real_file

from healthpm.errors import InvalidInputError
from healthpm.fda import explore, importer, links, service, store, tables, views
from healthpm.fda.synthetic_harms import all_terms, harms_for

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "openfda-samples"


def test_narrative_search_finds_every_word_and_labels_synthetic(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    scope = service.resolve_scope(loaded, product_code="LZG")
    data = views.search(loaded, "occlusion alarm", scope=scope)
    assert data["words"] == ["occlusion", "alarm"] and data["reports"] > 0
    for row in data["rows"]:
        assert "OCCLUSION" in row["excerpt"] and row["synthetic"]
        assert "LZG" in row["product_codes"]
    assert data["notes"][0].startswith("SYNTHETIC")
    assert views.search(loaded, "zzzunknownword")["reports"] == 0
    with pytest.raises(InvalidInputError):
        explore.query_words("a of")


def test_search_on_real_narratives(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "fda.duckdb")
    texts = [{"mdr_text_key": "1", "text_type_code": "Description of Event or Problem",
              "text": "The Bluetooth link dropped; the alarm did not sound."}]  # fmt: skip
    importer.import_file(con, real_file(tmp_path / "device-event-0001-of-0001.json.zip",
                                        [event("77", mdr_text=texts), event("78")]))  # fmt: skip
    data = views.search(con, "BLUETOOTH alarm")
    assert [r["mdr_report_key"] for r in data["rows"]] == ["77"]
    assert data["source"] and not data["rows"][0]["synthetic"]
    con.close()


def test_failure_trend_is_quarterly_per_category(loaded: duckdb.DuckDBPyConnection) -> None:
    scope = service.resolve_scope(loaded, product_code="LZG")
    data = views.failure_trend(loaded, scope)
    quarters = [q["quarter"] for q in data["quarters"]]
    assert quarters == sorted(quarters) and "2021-Q1" in quarters
    assert 0 < len(data["categories"]) <= explore.TREND_CATEGORIES
    for point in data["series"]:
        assert point["reports"] <= point["all_reports"]
    modes = service.failure_modes(loaded, scope)
    top = modes["device_problems"]["categories"][0]
    in_series = sum(p["reports"] for p in data["series"] if p["imdrf_code"] == top["imdrf_code"])
    assert in_series >= top["reports"]  # a report counts once per quarter, quarters add up


def test_manufacturers_are_grouped_and_counted_not_rated(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    data = views.manufacturers(loaded, "lzg")
    assert sum(f["reports"] for f in data["manufacturers"]) == data["reports"]
    assert len(data["manufacturers"]) >= 2
    assert any("not rates" in n for n in data["notes"])
    assert explore.normalize_firm("Acme Medical, Inc.") == explore.normalize_firm("ACME MEDICAL")


def test_pma_view(loaded: duckdb.DuckDBPyConnection) -> None:
    data = views.pma(loaded, "MDS")
    assert data["records"] > 0 and data["recent"][0]["supplement_number"] is None
    assert views.pma(loaded, "LZG")["records"] == 0


@pytest.mark.parametrize(
    ("view", "kwargs"),
    [
        ("failure-modes", {"product_code": "LZG"}),
        ("clearance-times", {"product_code": "LZG"}),
        ("predicates", {"product_code": "LZG"}),
        ("recalls", {"product_code": "LZG"}),
        ("search", {"words": "alarm"}),
        ("failure-trend", {"product_code": "LZG"}),
        ("manufacturers", {"product_code": "LZG"}),
        ("pma", {"product_code": "MDS"}),
    ],
)
def test_every_view_exports_csv_and_parquet(
    loaded: duckdb.DuckDBPyConnection, tmp_path: Path, view: str, kwargs: dict[str, Any]
) -> None:
    data = views.run_view(loaded, view, **kwargs)
    found = tables.tables_of(view, data)
    assert found
    for name, rows in found.items():
        text = tables.csv_text(rows)
        parsed = list(csv.DictReader(io.StringIO(text)))
        assert len(parsed) == len(rows), name
        assert all("SYNTHETIC" in r["data_source"] for r in parsed), name
    written = tables.write_tables(found, tmp_path, "parquet", view)
    con = duckdb.connect()
    for path in written:
        rows = found[path.stem.removeprefix(f"{view}-")]
        n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
        assert n == (len(rows),)
    con.close()


def test_cli_export_writes_files(
    loaded: duckdb.DuckDBPyConnection, tmp_path: Path, cli: Any, capsys: Any
) -> None:
    loaded.close()
    assert cli("fda", "export", "recalls", "--product-code", "LZG", "-o", str(tmp_path)) == 0
    assert (tmp_path / "recalls-lzg-by_root_cause.csv").exists()
    assert cli("fda", "export", "recalls", "-o", str(tmp_path), "--format", "xlsx",
               "--product-code", "LZG") == 2  # fmt: skip


def test_fda_links_and_none_for_synthetic() -> None:
    assert links.maude("1312172") == (
        "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfMAUDE/detail.cfm?mdrfoi__id=1312172"
    )
    assert links.maude("9070000001") is None  # synthetic key space
    assert links.clearance("K001142", False).endswith("cfPMN/pmn.cfm?ID=K001142")  # type: ignore[union-attr]
    assert links.clearance("SYN-K211001") is None
    assert links.recall("170001", synthetic=True) is None
    assert links.recall("185212").endswith("cfRES/res.cfm?id=185212")  # type: ignore[union-attr]
    assert links.pma("P150012", "S182").endswith("cfpma/pma.cfm?id=P150012S182")  # type: ignore[union-attr]
    assert links.product_code("LZG").endswith("cfPCD/classification.cfm?ID=LZG")  # type: ignore[union-attr]


def test_synthetic_patient_problems_are_plausible_and_from_the_reference() -> None:
    if not REFERENCE.is_dir():
        pytest.skip("openFDA samples not found")
    ref = REFERENCE / "reference"

    def rows(name: str) -> list[dict[str, str]]:
        text = (ref / name).read_text(encoding="utf-8")
        return list(csv.DictReader(io.StringIO(text)))

    observed = {
        r["value"]
        for r in rows("field-presence/device-event-observed-values.csv")
        if "patient_problems" in r["path"]
    }
    crosswalk = {
        r["fda_term"].lower() for r in rows("crosswalk-fda-patient-problem-to-imdrf-e-f.csv")
    }
    assert all(t in observed and t.lower() in crosswalk for t in all_terms())
    pump = harms_for("Pump, Infusion, Insulin", "A14")
    assert "Hyperglycemia" in pump and "Malunion of Bone" not in pump
    assert "Arrhythmia" in harms_for("Transmitters And Receivers, Physiological Signal", "A13")


def test_demo_pairs_device_and_patient_problems_plausibly(
    loaded: duckdb.DuckDBPyConnection,
) -> None:
    allowed = all_terms() | {
        "No Known Impact Or Consequence To Patient",
        "No Clinical Signs, Symptoms or Conditions",
    }
    seen = {r[0] for r in loaded.execute("SELECT DISTINCT term FROM patient_problem").fetchall()}
    assert seen and seen <= allowed
