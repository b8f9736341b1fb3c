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
from datetime import date
from typing import Any

import duckdb

from healthpm.config import Settings
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.fda import clearances, queries, store
from healthpm.fda.store_admin import remove_synthetic as remove_synthetic
from healthpm.fda.store_admin import store_choices as store_choices
from healthpm.fda.store_admin import store_status as store_status

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
    real = counts["rows"] - counts["synthetic"]
    mixed = f"; the other {real} are FDA data" if real else ""
    return (
        f"SYNTHETIC: {counts['synthetic']} of {counts['rows']} records come from generated "
        f"files (healthpm fda demo), not from FDA{mixed}."
    )


def provenance(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, Any]:
    """What a scoped result stands on: synthetic count, and the FDA source line."""
    counts = queries.synthetic_share(con, table)
    return {
        "rows": counts["rows"],
        "synthetic": counts["synthetic"],
        "source": queries.source_line(con, table),
        "notes": [n for n in (_synthetic_note(counts), queries.source_line(con, table)) if n],
    }


def failure_modes(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, since: int | None = None, examples: int = 3
) -> dict[str, Any]:
    """Device problems by IMDRF category, patient problems, event types by year, excerpts."""
    reports = queries.scope_reports(con, scope.codes, since)
    origin = provenance(con, "scope_report")
    return {
        "scope": {"label": scope.label, "product_codes": list(scope.codes), "since": since},
        "reports": reports,
        "synthetic_reports": origin["synthetic"],
        "source": origin["source"],
        "device_problems": queries.device_problems(con),
        "patient_problems": queries.patient_problems(con),
        "event_types_by_year": queries.event_types_by_year(con),
        "examples": queries.example_narratives(con, examples),
        "notes": [*origin["notes"], MAUDE_CAVEAT, REPORT_UNIT],
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
    origin = provenance(con, "scope_clearance")
    label = scope.label if scope else f"review panel {panel_label(con, panel or '')}"
    notes = [*origin["notes"], *_stats_notes(stats), CLEARED_ONLY]
    return {
        "scope": {"label": label, "since": since},
        **stats,
        "synthetic_records": origin["synthetic"],
        "source": origin["source"],
        "notes": notes,
    }


def _stats_notes(stats: dict[str, Any]) -> list[str]:
    notes = []
    ex = stats["excluded"]
    if ex["negative_interval"] or ex["missing_date"]:
        notes.append(
            f"Left out of every statistic: {ex['negative_interval']} clearances decided before "
            f"they were received (a data error) and {ex['missing_date']} with a missing date."
        )
    n = stats["overall"]["n"]
    if n and n < stats["min_n"]:
        notes.append(
            f"Only {n} clearances: under {stats['min_n']}, a median is an anecdote, not an "
            "expectation."
        )
    notes.append(
        "Medians carry a 95% distribution-free interval (order statistics); it needs 6 or more "
        "clearances."
    )
    return notes


def panel_label(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """'CH (Clinical Chemistry)' for a review-panel code; the code alone if unknown."""
    from healthpm.fda.reference import review_panels

    code = code.strip().upper()
    name = review_panels().get(code)
    return f"{code} ({name})" if name else code


def predicates(con: duckdb.DuckDBPyConnection, code: str, *, limit: int = 15) -> dict[str, Any]:
    """Recent clearances under a product code, as predicate candidates."""
    row = product_code_row(con, code.strip().upper())
    candidates = clearances.predicates(con, row["product_code"], limit=limit)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_predicate AS SELECT file_id FROM clearance"
        " WHERE list_contains($keys, k_number)",
        {"keys": [c["k_number"] for c in candidates]},
    )
    origin = provenance(con, "scope_predicate")
    return {
        "product_code": row["product_code"],
        "device_name": row["device_name"],
        "regulation_number": row["regulation_number"],
        "candidates": candidates,
        "synthetic_records": origin["synthetic"],
        "source": origin["source"],
        "notes": [
            *origin["notes"],
            "openFDA does not name a clearance's predicate; these are recent clearances under the "
            "same product code, to read (their 510(k) summaries) before choosing one.",
        ],
    }


def recalls(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Any]:
    """Recalls and enforcement classes for the scope."""
    result = clearances.recalls(con, scope.codes)
    origin = provenance(con, "scope_recall")
    notes = [
        *origin["notes"],
        "device/recall has no recall class; the class comes from device/enforcement, joined "
        "on recall_number = product_res_number.",
        "Root causes are grouped without regard to case or spacing (FDA writes both "
        "'Employee Error' and 'Employee error'); the most frequent spelling is shown.",
    ]
    return {
        "scope": {"label": scope.label},
        "recalls": origin["rows"],
        "synthetic_records": origin["synthetic"],
        "source": origin["source"],
        **result,
        "notes": notes,
    }


TIMELINE_YEARS = 5  # "expected" review times use the last five decision years only


def regulatory_timeline(
    con: duckdb.DuckDBPyConnection, product_code: str, *, today: date | None = None
) -> dict[str, Any]:
    """Pathway and expected review time for a product code, from recent stored clearances.

    "Expected" means the last TIMELINE_YEARS decision years (review practice changes: MDUFA
    goals, eSTAR); with fewer than MIN_N clearances in that window the summary says the
    figure is not an expectation."""
    row = product_code_row(con, product_code.strip().upper())
    code = row["product_code"]
    pathway = PATHWAYS.get(str(row["submission_type_id"]), "unclear: contact FDA")
    first_year = (today or date.today()).year - TIMELINE_YEARS + 1
    stats = clearances.clearance_times(con, codes=[code], since=first_year)
    overall = stats["overall"]
    synthetic = queries.synthetic_share(con, "scope_clearance")["synthetic"] > 0
    older = queries._scalar(
        con,
        "SELECT count(*) FROM clearance WHERE product_code = ? AND decision_date < ?",
        [code, date(first_year, 1, 1)],
    )
    window = f"decisions {first_year} on"
    return {
        "product_code": code,
        "device_name": row["device_name"],
        "device_class": row["device_class"],
        "pathway": pathway,
        "window": window,
        "first_year": first_year,
        "older_clearances": older,
        "n": overall["n"],
        "median_days": overall["median"],
        "median_ci": [overall["median_ci_low"], overall["median_ci_high"]],
        "p25_days": overall["p25"],
        "p75_days": overall["p75"],
        "p90_days": overall["p90"],
        "small_n": overall["small_n"],
        "excluded": stats["excluded"],
        "synthetic": synthetic,
        "summary": _timeline_summary(code, pathway, overall, synthetic, window, older),
        "article_estimate": ARTICLE_ESTIMATE,
        "notes": [*_stats_notes(stats), CLEARED_ONLY],
    }


def _timeline_summary(
    code: str,
    pathway: str,
    overall: dict[str, Any],
    synthetic: bool,
    window: str,
    older: int,
) -> str:
    flag = " [SYNTHETIC data]" if synthetic else ""
    if not overall["n"]:
        before = f" ({older} older clearances are not used as an expectation)" if older else ""
        return (
            f"{code} needs a {pathway}; no stored clearances ({window}) to time it{before}{flag}."
        )
    ci = (
        f", 95% interval {overall['median_ci_low']:.0f}-{overall['median_ci_high']:.0f}"
        if overall["median_ci_low"] is not None
        else ""
    )
    text = (
        f"{code} needs a {pathway}: median {overall['median']:.0f} calendar days from receipt "
        f"to clearance{ci} (p25 {overall['p25']:.0f}, p75 {overall['p75']:.0f}, "
        f"n={overall['n']}, {window}){flag}."
    )
    if overall["small_n"]:
        text += f" Warning: n={overall['n']} is too few to expect this time."
    return text


def scope_from_codes(codes: Sequence[str], label: str) -> Scope:
    """A Scope for code lists that are already validated (the demo, the portfolio drafts)."""
    return Scope(tuple(codes), label)
