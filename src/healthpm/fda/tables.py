"""Every query result as plain tables, written as CSV or Parquet so the data can move to any
engine. Each row carries `data_source`: SYNTHETIC or openFDA for record rows, and for counts the
share of synthetic records and the FDA source line of the result."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from healthpm.errors import InvalidInputError

Table = list[dict[str, Any]]
FORMATS = ("csv", "parquet")


def _label(data: dict[str, Any]) -> str:
    synthetic = data.get("synthetic_reports", data.get("synthetic_records", 0)) or 0
    source = data.get("source") or ""
    if synthetic and source:
        return f"MIXED: {synthetic} SYNTHETIC records (healthpm demo) and {source}"
    if synthetic:
        return f"SYNTHETIC: {synthetic} generated records (healthpm demo), not FDA data"
    return source or "openFDA"


def _per_row(rows: Table) -> Table:
    return [
        {**{k: v for k, v in r.items() if k != "synthetic"},
         "data_source": "SYNTHETIC (healthpm demo)" if r.get("synthetic") else "openFDA"}
        for r in rows
    ]  # fmt: skip


def _counts(rows: Table, label: str) -> Table:
    return [{**r, "data_source": label} for r in rows]


def _failure_modes(d: dict[str, Any], label: str) -> dict[str, Table]:
    dp, pp = d["device_problems"], d["patient_problems"]
    cats = [
        {"imdrf_code": c["imdrf_code"], "category": c["category"], "reports": c["reports"],
         "all_reports": d["reports"]}
        for c in dp["categories"]
    ]  # fmt: skip
    terms = [
        {"imdrf_category": c["imdrf_code"], **t, "all_reports": d["reports"]}
        for c in dp["categories"]
        for t in c["terms"]
    ]
    apart = [{**t, "all_reports": d["reports"]} for t in dp["uninformative"] + dp["unmapped"]]
    patient = [{**t, "all_reports": d["reports"]} for t in pp["terms"] + pp["uninformative"]]
    return {
        "categories": _counts(cats, label),
        "terms": _counts(terms, label),
        "terms_apart": _counts(apart, label),
        "patient_problems": _counts(patient, label),
        "event_types_by_year": _counts(d["event_types_by_year"], label),
        "examples": _per_row(d["examples"]),
    }


def _clearance_times(d: dict[str, Any], label: str) -> dict[str, Table]:
    return {
        "overall": _counts([d["overall"]], label),
        "by_year": _counts(d["by_year"], label),
        "by_clearance_type": _counts(d["by_clearance_type"], label),
        "decision_codes": _counts(d["decision_codes"], label),
    }


def _recalls(d: dict[str, Any], label: str) -> dict[str, Table]:
    causes = [{k: v for k, v in r.items() if k != "spellings"} for r in d["by_root_cause"]]
    return {
        "by_root_cause": _counts(causes, label),
        "by_classification": _counts(d["by_classification"], label),
        "by_reason": _counts(d["by_reason"], label),
        "recent": _per_row(d["recent"]),
    }


def _manufacturers(d: dict[str, Any], label: str) -> dict[str, Table]:
    firms = [
        {k: v for k, v in f.items() if k not in ("brands", "spellings")}
        | {"spellings": "; ".join(f["spellings"])}
        for f in d["manufacturers"]
    ]
    brands = [{"manufacturer": f["manufacturer"], **b} for f in d["manufacturers"]
              for b in f["brands"]]  # fmt: skip
    return {"manufacturers": _counts(firms, label), "brands": _counts(brands, label)}


EXTRACTORS: dict[str, Callable[[dict[str, Any], str], dict[str, Table]]] = {
    "failure-modes": _failure_modes,
    "clearance-times": _clearance_times,
    "predicates": lambda d, _l: {"candidates": _per_row(d["candidates"])},
    "recalls": _recalls,
    "search": lambda d, _l: {"reports": _per_row(d["rows"])},
    "failure-trend": lambda d, label: {
        "series": _counts(d["series"], label),
        "quarters": _counts(d["quarters"], label),
    },
    "manufacturers": _manufacturers,
    "pma": lambda d, label: {
        "by_year": _counts(d["by_year"], label),
        "recent": _per_row(d["recent"]),
    },
}


def tables_of(view: str, data: dict[str, Any]) -> dict[str, Table]:
    """The tables of one view's result, each row labelled with its data source."""
    if view not in EXTRACTORS:
        raise InvalidInputError(f"no tables for {view!r}; one of {', '.join(EXTRACTORS)}")
    return EXTRACTORS[view](data, _label(data))


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def csv_text(rows: Table) -> str:
    """CSV with a header row (the union of the rows' keys, in first-seen order)."""
    columns = list(dict.fromkeys(k for r in rows for k in r)) or ["data_source"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows({k: _cell(r.get(k)) for k in columns} for r in rows)
    return buffer.getvalue()


def parquet_bytes(rows: Table) -> bytes:
    """The rows as a Parquet file (DuckDB writes it; column types inferred from the CSV)."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="healthpm-export-") as tmp:
        src, out = Path(tmp) / "t.csv", Path(tmp) / "t.parquet"
        src.write_text(csv_text(rows), encoding="utf-8")
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_csv('{src}', header = true)) TO '{out}' (FORMAT parquet)"
            )
        finally:
            con.close()
        return out.read_bytes()


def write_tables(tables: dict[str, Table], folder: Path, fmt: str, prefix: str) -> list[Path]:
    """One file per table in folder: <prefix>-<table>.csv|.parquet."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"format must be csv or parquet, not {fmt!r}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = folder / f"{prefix}-{name}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "csv":
            tmp.write_text(csv_text(rows), encoding="utf-8", newline="")
        else:
            tmp.write_bytes(parquet_bytes(rows))
        tmp.replace(path)
        written.append(path)
    return written
