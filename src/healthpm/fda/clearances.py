"""510(k) review times, predicate candidates and recalls over the store."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import duckdb

from healthpm.fda.queries import _rows, _since_date

STATS = (
    "count(*) AS n, quantile_cont(days, 0.5) AS median, quantile_cont(days, 0.25) AS p25,"
    " quantile_cont(days, 0.75) AS p75, quantile_cont(days, 0.9) AS p90,"
    " list(days ORDER BY days) AS _days"
)
MIN_N = 10  # under this many clearances a median is shown with a warning, not as an expectation
CONFIDENCE = 0.95


def _filter(codes: Sequence[str] | None, panel: str | None) -> tuple[str, dict[str, Any]]:
    if codes:
        return "list_contains($codes, c.product_code)", {"codes": list(codes)}
    return "c.review_advisory_committee = $panel", {"panel": (panel or "").strip().upper()}


def median_interval(days: Sequence[float], confidence: float = CONFIDENCE) -> tuple[Any, Any]:
    """Distribution-free interval for the median from order statistics (exact binomial).

    The interval [x(j), x(n-j+1)] covers the median with probability 1 - 2 P(Bin(n, 1/2) < j);
    j is the largest rank keeping that at or above `confidence`. (None, None) when n is too
    small for any such interval (n < 6 at 95%)."""
    n = len(days)
    alpha = (1 - confidence) / 2
    cumulative, j = 0.0, 0
    for k in range(n + 1):
        cumulative += math.comb(n, k) / 2**n
        if cumulative > alpha:
            j = k  # P(Bin < j) <= alpha, and j is as large as possible
            break
    if j < 1:
        return None, None
    return days[j - 1], days[n - j]


def clearance_times(
    con: duckdb.DuckDBPyConnection,
    *,
    codes: Sequence[str] | None = None,
    panel: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> dict[str, Any]:
    """n, median (with a 95% interval), p25, p75, p90 calendar days receipt -> decision.

    Clearances with a missing date, or decided before they were received (a data error), are
    left out of every statistic and counted in `excluded`."""
    where, params = _filter(codes, panel)
    params["since"] = _since_date(since)
    params["until"] = f"{until or 9999:04d}-12-31"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_clearance_all AS SELECT c.*, (c.decision_date -"
        " c.date_received) AS days FROM clearance c WHERE " + where + " AND"
        " (c.decision_date IS NULL OR c.decision_date BETWEEN $since::DATE AND $until::DATE)",
        params,
    )
    excluded = _rows(
        con,
        "SELECT count(*) FILTER (WHERE date_received IS NULL OR decision_date IS NULL)"
        " AS missing_date, count(*) FILTER (WHERE days < 0) AS negative_interval"
        " FROM scope_clearance_all",
    )[0]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_clearance AS SELECT * FROM scope_clearance_all"
        " WHERE days IS NOT NULL AND days >= 0"
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
        "excluded": excluded,
        "min_n": MIN_N,
    }


def _stats(con: duckdb.DuckDBPyConnection, group: str, order: str = "") -> Any:
    """Review-time statistics of scope_clearance, one dict (no group) or one per group."""
    if not group:
        return _clean(_rows(con, f"SELECT {STATS} FROM scope_clearance")[0])
    sql = f"SELECT {group}, {STATS} FROM scope_clearance GROUP BY ALL ORDER BY {order}"
    return [_clean(r) for r in _rows(con, sql)]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    days = row.pop("_days", None) or []
    low, high = median_interval(days)
    out = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in row.items()}
    out["median_ci_low"], out["median_ci_high"] = low, high
    out["small_n"] = bool(out["n"]) and out["n"] < MIN_N
    return out


def predicates(
    con: duckdb.DuckDBPyConnection, code: str, *, limit: int = 15
) -> list[dict[str, Any]]:
    """Most recent clearances under the product code (openFDA names no predicate)."""
    return _rows(
        con,
        "SELECT c.k_number, c.applicant, c.device_name, c.decision_date, c.clearance_type,"
        " c.regulation_number, c.statement_or_summary, coalesce(f.synthetic, false) AS synthetic"
        " FROM clearance c LEFT JOIN imported_file f USING (file_id) WHERE c.product_code = $code"
        " ORDER BY c.decision_date DESC NULLS LAST, c.k_number DESC LIMIT $n",
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
            "SELECT coalesce(mode(root_cause_description), '(not given)') AS root_cause,"
            " count(*) AS recalls, list(DISTINCT root_cause_description) AS spellings FROM"
            " scope_recall GROUP BY lower(trim(root_cause_description))"
            " ORDER BY recalls DESC, root_cause",
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
            "SELECT r.product_res_number, r.cfres_id, r.product_code, r.event_date_initiated,"
            " r.recalling_firm, r.classification, r.recall_status, r.root_cause_description,"
            " coalesce(f.synthetic, false) AS synthetic FROM scope_recall r"
            " LEFT JOIN imported_file f USING (file_id)"
            " ORDER BY r.event_date_initiated DESC NULLS LAST LIMIT 10",
        ),
    }
