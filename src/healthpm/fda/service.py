"""The FDA workbench's public functions: scope resolution, summaries with caveats, timelines.

The CLI, the web app and the navigator call these; each takes an open store connection.
Example::

    with fda_store(settings) as con:
        regulatory_timeline(con, "LZG")["summary"]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb

from healthpm.config import Settings
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.fda import clearances, queries, store

MAUDE_CAVEAT = (
    "MAUDE is passive surveillance with no usage denominators: these are counts of reports, "
    "not rates or incidence (DOMAIN-FACTS F23)."
)
REPORT_UNIT = (
    "The unit is the report (mdr_report_key): several reports can describe one event, and a "
    "follow-up replaces its initial report."
)
CLEARED_ONLY = (
    "openFDA's 510(k) set holds cleared (substantially equivalent) decisions only, so these "
    "times are conditional on clearance and say nothing about NSE or withdrawn files; days are "
    "calendar days from receipt to decision, FDA hold time included (not MDUFA FDA days)."
)
ARTICLE_ESTIMATE = (
    "6-9 months for a Class II 510(k) (career article, source 001_be2c56113838b31f.txt)"
)
PATHWAYS = {"1": "510(k)", "2": "PMA", "3": "contact FDA (ODE)", "4": "510(k) exempt"}


@dataclass(frozen=True)
class Scope:
    """The product codes a question is about, and how the user named them."""

    codes: tuple[str, ...]
    label: str
    subdomain: str | None = None


@contextmanager
def fda_store(settings: Settings, *, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """An open store connection, closed afterwards; NotFoundError if there is no data yet."""
    path = settings.fda_store_path
    con = store.connect(path) if create else store.open_existing(path)
    try:
        yield con
    finally:
        con.close()


def product_code_row(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, Any]:
    """The classification row of a product code, or NotFoundError."""
    rows = queries._rows(con, "SELECT * FROM product_code WHERE product_code = ?", [code])
    if not rows:
        raise NotFoundError(
            f"unknown product code {code!r}: not in the classification table (check the code at "
            "accessdata.fda.gov, or import a newer device-classification file)"
        )
    return rows[0]


def subdomain_codes(subdomain: str) -> tuple[str, ...]:
    """Product codes the knowledge base lists for a subdomain."""
    from healthpm.catalog import get_catalog

    entry = get_catalog().get("subdomains", subdomain)
    codes = tuple(c.upper() for c in entry.product_codes)
    if not codes:
        raise NotFoundError(f"subdomain {subdomain!r} lists no FDA product codes")
    return codes


def resolve_scope(
    con: duckdb.DuckDBPyConnection,
    *,
    product_code: str | None = None,
    subdomain: str | None = None,
) -> Scope:
    """Turn --product-code / --subdomain into a Scope; exactly one must be given."""
    if bool(product_code) == bool(subdomain):
        raise InvalidInputError("give exactly one of --product-code CODE or --subdomain ID")
    if product_code:
        code = product_code.strip().upper()
        product_code_row(con, code)
        return Scope((code,), code)
    assert subdomain is not None
    codes = subdomain_codes(subdomain)
    return Scope(codes, f"{subdomain} ({', '.join(codes)})", subdomain)


def _synthetic_note(counts: dict[str, int]) -> str | None:
    if not counts["synthetic"]:
        return None
    return (
        f"SYNTHETIC: {counts['synthetic']} of {counts['rows']} records come from generated "
        "files (healthpm fda demo), not from FDA."
    )


def failure_modes(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, since: int | None = None, examples: int = 3
) -> dict[str, Any]:
    """Device problems by IMDRF category, patient problems, event types by year, excerpts."""
    reports = queries.scope_reports(con, scope.codes, since)
    synthetic = queries.synthetic_share(con, "scope_report")
    return {
        "scope": {"label": scope.label, "product_codes": list(scope.codes), "since": since},
        "reports": reports,
        "synthetic_reports": synthetic["synthetic"],
        "device_problems": queries.device_problems(con),
        "patient_problems": queries.patient_problems(con),
        "event_types_by_year": queries.event_types_by_year(con),
        "examples": queries.example_narratives(con, examples),
        "notes": [n for n in (_synthetic_note(synthetic), MAUDE_CAVEAT, REPORT_UNIT) if n],
    }


def clearance_times(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: Scope | None = None,
    panel: str | None = None,
    since: int | None = None,
) -> dict[str, Any]:
    """Review-time statistics for product codes or a review panel, with the cleared-only note."""
    if (scope is None) == (panel is None):
        raise InvalidInputError("give exactly one of --product-code CODE or --panel PANEL")
    stats = clearances.clearance_times(
        con, codes=scope.codes if scope else None, panel=panel, since=since
    )
    synthetic = queries.synthetic_share(con, "scope_clearance")
    label = scope.label if scope else f"review panel {panel.upper() if panel else ''}"
    notes = [n for n in (_synthetic_note(synthetic), CLEARED_ONLY) if n]
    return {
        "scope": {"label": label, "since": since},
        **stats,
        "synthetic_records": synthetic["synthetic"],
        "notes": notes,
    }


def predicates(con: duckdb.DuckDBPyConnection, code: str, *, limit: int = 15) -> dict[str, Any]:
    """Recent clearances under a product code, as predicate candidates."""
    row = product_code_row(con, code.upper())
    return {
        "product_code": row["product_code"],
        "device_name": row["device_name"],
        "regulation_number": row["regulation_number"],
        "candidates": clearances.predicates(con, row["product_code"], limit=limit),
        "notes": [
            "openFDA does not name a clearance's predicate; these are recent clearances under the "
            "same product code, to read (their 510(k) summaries) before choosing one.",
        ],
    }


def recalls(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Any]:
    """Recalls and enforcement classes for the scope."""
    result = clearances.recalls(con, scope.codes)
    synthetic = queries.synthetic_share(con, "scope_recall")
    notes = [
        n
        for n in (
            _synthetic_note(synthetic),
            "device/recall has no recall class; the class comes from device/enforcement, joined "
            "on recall_number = product_res_number.",
        )
        if n
    ]
    return {"scope": {"label": scope.label}, "recalls": synthetic["rows"], **result, "notes": notes}


def regulatory_timeline(con: duckdb.DuckDBPyConnection, product_code: str) -> dict[str, Any]:
    """Pathway and expected review time for a product code, from the stored 510(k) statistics."""
    row = product_code_row(con, product_code.strip().upper())
    code = row["product_code"]
    pathway = PATHWAYS.get(str(row["submission_type_id"]), "unclear: contact FDA")
    stats = clearances.clearance_times(con, codes=[code])
    overall = stats["overall"]
    synthetic = queries.synthetic_share(con, "scope_clearance")["synthetic"] > 0
    summary = _timeline_summary(code, pathway, overall, synthetic)
    return {
        "product_code": code,
        "device_name": row["device_name"],
        "device_class": row["device_class"],
        "pathway": pathway,
        "n": overall["n"],
        "median_days": overall["median"],
        "p25_days": overall["p25"],
        "p75_days": overall["p75"],
        "p90_days": overall["p90"],
        "synthetic": synthetic,
        "summary": summary,
        "article_estimate": ARTICLE_ESTIMATE,
        "notes": [CLEARED_ONLY],
    }


def _timeline_summary(code: str, pathway: str, overall: dict[str, Any], synthetic: bool) -> str:
    flag = " [SYNTHETIC data]" if synthetic else ""
    if not overall["n"]:
        return f"{code} needs a {pathway}; no stored clearances to time it{flag}."
    return (
        f"{code} needs a {pathway}: median {overall['median']:.0f} calendar days from receipt "
        f"to clearance (p25 {overall['p25']:.0f}, p75 {overall['p75']:.0f}, "
        f"n={overall['n']}){flag}."
    )


def store_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    """What a user can pick from: imported files, product codes with data, review panels."""

    def column(sql: str) -> list[Any]:
        return [row[0] for row in con.execute(sql).fetchall()]

    return {
        "files": con.execute(
            "SELECT dataset, name, records, synthetic FROM imported_file"
            " ORDER BY dataset, name LIMIT 500"
        ).fetchall(),
        "codes_with_data": column(
            "SELECT DISTINCT product_code FROM event_device WHERE product_code IS NOT NULL"
            " UNION SELECT DISTINCT product_code FROM clearance ORDER BY 1"
        ),
        "panels": column(
            "SELECT DISTINCT review_advisory_committee FROM clearance"
            " WHERE review_advisory_committee IS NOT NULL ORDER BY 1"
        ),
    }


def store_status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Rows per table and the imported files (with their synthetic flag)."""
    tables = (
        "event",
        "event_device",
        "narrative",
        "clearance",
        "product_code",
        "recall",
        "enforcement",
    )
    counts = {t: queries._scalar(con, f"SELECT count(*) FROM {t}") for t in tables}
    files = queries._rows(
        con,
        "SELECT dataset, count(*) AS files, sum(records) AS records, bool_or(synthetic) AS"
        " synthetic, max(imported_at) AS last_import FROM imported_file GROUP BY ALL ORDER BY 1",
    )
    return {"tables": counts, "imported": files}


def scope_from_codes(codes: Sequence[str], label: str) -> Scope:
    """A Scope for code lists that are already validated (the demo, the portfolio drafts)."""
    return Scope(tuple(codes), label)
