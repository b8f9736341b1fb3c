"""What the store holds (per dataset and per source), and removing the synthetic demo data."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from healthpm.fda import queries
from healthpm.fda.datasets import SPECS

__all__ = ["remove_synthetic", "store_choices", "store_status"]

TABLES = (
    "event",
    "event_device",
    "narrative",
    "clearance",
    "pma",
    "product_code",
    "recall",
    "enforcement",
    "quarantine",
)


def store_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    """What a user can pick from: imported files, product codes with data, review panels."""

    def column(sql: str) -> list[Any]:
        return [row[0] for row in con.execute(sql).fetchall()]

    return {
        "files": con.execute(
            "SELECT dataset, coalesce(NULLIF(path, ''), name), records, synthetic"
            " FROM imported_file ORDER BY dataset, 2 LIMIT 500"
        ).fetchall(),
        "codes_with_data": column(
            "SELECT DISTINCT product_code FROM event_device WHERE product_code IS NOT NULL"
            " UNION SELECT DISTINCT product_code FROM clearance WHERE product_code IS NOT NULL"
            " ORDER BY 1"
        ),
        "panels": column(
            "SELECT DISTINCT review_advisory_committee FROM clearance"
            " WHERE review_advisory_committee IS NOT NULL ORDER BY 1"
        ),
    }


def store_status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Rows per table and the imported files per dataset and source (FDA or SYNTHETIC).

    A store holding both real and synthetic files of a dataset shows one row for each, so the
    FDA files are never labelled synthetic and the other way round."""
    counts = {t: queries._scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
    files = queries._rows(
        con,
        "SELECT dataset, synthetic, count(*) AS files, sum(records) AS records,"
        " sum(coalesce(skipped, 0)) AS skipped, sum(coalesce(quarantined, 0)) AS quarantined,"
        " sum(coalesce(bad_dates, 0)) AS bad_dates,"
        " list(bad_date_fields) FILTER (WHERE bad_date_fields <> '') AS bad_date_fields,"
        " max(coalesce(NULLIF(export_date, ''), NULLIF(last_updated, ''))) AS exported,"
        " max(imported_at) AS last_import FROM imported_file GROUP BY ALL ORDER BY 1, 2",
    )
    for row in files:
        merged: dict[str, int] = {}
        for text in row.pop("bad_date_fields") or []:
            for name, n in json.loads(text).items():
                merged[name] = merged.get(name, 0) + int(n)
        row["bad_date_fields"] = merged
        row["source"] = "SYNTHETIC (healthpm demo)" if row["synthetic"] else "openFDA"
    return {"tables": counts, "imported": files}


def remove_synthetic(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Delete every row that came from a synthetic file, and those files' records; one
    transaction. FDA rows are untouched (synthetic rows never replaced them)."""
    ids = [
        int(r[0])
        for r in con.execute("SELECT file_id FROM imported_file WHERE synthetic").fetchall()
    ]
    removed: dict[str, int] = {"files": len(ids)}
    if not ids:
        return removed
    con.begin()
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE gone AS SELECT unnest($ids) AS file_id", {"ids": ids}
        )
        event = SPECS["device-event"]
        before = queries._scalar(con, "SELECT count(*) FROM event")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE gone_rid AS SELECT rid FROM event"
            " WHERE file_id IN (SELECT file_id FROM gone)"
        )
        for table in event.tables:
            con.execute(f"DELETE FROM {table} WHERE rid IN (SELECT rid FROM gone_rid)")
        removed["event"] = before - queries._scalar(con, "SELECT count(*) FROM event")
        for table in ("clearance", "pma", "product_code", "recall", "enforcement", "quarantine"):
            before = queries._scalar(con, f"SELECT count(*) FROM {table}")
            con.execute(f"DELETE FROM {table} WHERE file_id IN (SELECT file_id FROM gone)")
            removed[table] = before - queries._scalar(con, f"SELECT count(*) FROM {table}")
        con.execute("DELETE FROM imported_file WHERE file_id IN (SELECT file_id FROM gone)")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return removed
