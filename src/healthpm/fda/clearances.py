"""510(k) review times, predicate candidates and recalls over the store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from healthpm.fda.queries import _rows, _since_date

STATS = (
    "count(*) AS n, quantile_cont(days, 0.5) AS median, quantile_cont(days, 0.25) AS p25,"
    " quantile_cont(days, 0.75) AS p75, quantile_cont(days, 0.9) AS p90"
)


def _filter(codes: Sequence[str] | None, panel: str | None) -> tuple[str, dict[str, Any]]:
    if codes:
        return "list_contains($codes, c.product_code)", {"codes": list(codes)}
    return "c.review_advisory_committee = $panel", {"panel": (panel or "").upper()}


def clearance_times(
    con: duckdb.DuckDBPyConnection,
    *,
    codes: Sequence[str] | None = None,
    panel: str | None = None,
    since: int | None = None,
) -> dict[str, Any]:
    """n, median, p25, p75, p90 calendar days receipt -> decision, overall, by year, by type."""
    where, params = _filter(codes, panel)
    params["since"] = _since_date(since)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_clearance AS SELECT c.*, (c.decision_date -"
        " c.date_received) AS days FROM clearance c WHERE " + where + " AND c.decision_date >="
        " $since::DATE AND c.date_received IS NOT NULL AND c.decision_date IS NOT NULL",
        params,
    )
    return {
        "overall": _stats(con, ""),
        "by_year": _stats(con, "year(decision_date) AS year", "year"),
        "by_clearance_type": _stats(
            con, "coalesce(clearance_type, '(blank)') AS clearance_type", "n DESC"
        ),
        "decision_codes": _rows(
            con,
            "SELECT decision_code, decision_description, count(*) AS n FROM scope_clearance"
            " GROUP BY ALL ORDER BY n DESC",
        ),
    }


def _stats(con: duckdb.DuckDBPyConnection, group: str, order: str = "") -> Any:
    """Review-time statistics of scope_clearance, one dict (no group) or one per group."""
    if not group:
        return _clean(_rows(con, f"SELECT {STATS} FROM scope_clearance")[0])
    sql = f"SELECT {group}, {STATS} FROM scope_clearance GROUP BY ALL ORDER BY {order}"
    return [_clean(r) for r in _rows(con, sql)]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in row.items()}


def predicates(
    con: duckdb.DuckDBPyConnection, code: str, *, limit: int = 15
) -> list[dict[str, Any]]:
    """Most recent clearances under the product code (openFDA names no predicate)."""
    return _rows(
        con,
        "SELECT k_number, applicant, device_name, decision_date, clearance_type,"
        " regulation_number FROM clearance WHERE product_code = $code"
        " ORDER BY decision_date DESC NULLS LAST, k_number DESC LIMIT $n",
        {"code": code, "n": limit},
    )


def recalls(con: duckdb.DuckDBPyConnection, codes: Sequence[str]) -> dict[str, Any]:
    """Recalls of the codes by reason/root cause, with the enforcement class where matched."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_recall AS SELECT * FROM recall_with_class"
        " WHERE list_contains($codes, product_code)",
        {"codes": list(codes)},
    )
    return {
        "by_root_cause": _rows(
            con,
            "SELECT coalesce(root_cause_description, '(not given)') AS root_cause, count(*) AS"
            " recalls FROM scope_recall GROUP BY ALL ORDER BY recalls DESC, root_cause",
        ),
        "by_classification": _rows(
            con,
            "SELECT coalesce(classification, '(no enforcement record)') AS classification,"
            " count(*) AS recalls FROM scope_recall GROUP BY ALL ORDER BY classification",
        ),
        "by_reason": _rows(
            con,
            "SELECT reason_for_recall AS reason, count(*) AS recalls FROM scope_recall"
            " GROUP BY ALL ORDER BY recalls DESC, reason LIMIT 10",
        ),
        "recent": _rows(
            con,
            "SELECT product_res_number, product_code, event_date_initiated, recalling_firm,"
            " classification, recall_status, root_cause_description FROM scope_recall"
            " ORDER BY event_date_initiated DESC NULLS LAST LIMIT 10",
        ),
    }
