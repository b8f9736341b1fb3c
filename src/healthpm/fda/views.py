"""Public functions for the workbench's newer views, each with its caveats and provenance.

Like healthpm.fda.service: each takes an open store connection and returns plain dicts with
`notes` (SYNTHETIC first, then the source line and caveats) and `source`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from healthpm.errors import InvalidInputError
from healthpm.fda import explore, queries, service
from healthpm.fda.service import MAUDE_CAVEAT, Scope, provenance

SEARCH_NOTE = (
    "Every word must appear in the report's narratives (any order; words of 3+ letters, "
    "without case). healthpm's own word index: DuckDB's FTS extension needs a network "
    "download, so it is not used."
)


def search(
    con: duckdb.DuckDBPyConnection,
    text: str,
    *,
    scope: Scope | None = None,
    since: int | None = None,
) -> dict[str, Any]:
    """Reports whose narratives hold every word of text."""
    data = explore.search_narratives(
        con, text, codes=list(scope.codes) if scope else None, since=since
    )
    origin = provenance(con, "scope_report")
    label = scope.label if scope else "all product codes"
    return {
        **data,
        "scope": {"label": label, "since": since},
        "synthetic_reports": origin["synthetic"],
        "source": origin["source"],
        "notes": [*origin["notes"], SEARCH_NOTE, MAUDE_CAVEAT],
    }


def failure_trend(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, since: int | None = None
) -> dict[str, Any]:
    """Quarterly reports per IMDRF level-1 category (the most reported ones)."""
    reports = queries.scope_reports(con, scope.codes, since)
    data = explore.failure_trend(con, since)
    origin = provenance(con, "scope_report")
    notes = [
        *origin["notes"],
        "Each line counts reports received in the quarter that name a problem in the "
        "category; 'all reports' is every report of the scope received that quarter. A rise "
        "can mean more devices in use, a reporting campaign or a new problem code, not only "
        "a new failure.",
        MAUDE_CAVEAT,
    ]
    if data["undated_reports"]:
        notes.append(
            f"{data['undated_reports']} reports without a usable receipt date are left out."
        )
    return {
        "scope": {"label": scope.label, "product_codes": list(scope.codes), "since": since},
        "reports": reports,
        **data,
        "synthetic_reports": origin["synthetic"],
        "source": origin["source"],
        "notes": notes,
    }


def manufacturers(
    con: duckdb.DuckDBPyConnection, code: str, *, since: int | None = None
) -> dict[str, Any]:
    """Manufacturers and brands reporting under one product code (counts, not rates)."""
    row = service.product_code_row(con, code.strip().upper())
    data = explore.manufacturers(con, row["product_code"], since)
    origin = provenance(con, "scope_report")
    return {
        "product_code": row["product_code"],
        "device_name": row["device_name"],
        "scope": {"label": row["product_code"], "since": since},
        **data,
        "synthetic_reports": origin["synthetic"],
        "source": origin["source"],
        "notes": [
            *origin["notes"],
            explore.COUNTS_NOT_RATES,
            "Manufacturer names are grouped after folding case, punctuation and company "
            "suffixes (Inc, LLC, Corp); the spellings seen are listed.",
            MAUDE_CAVEAT,
        ],
    }


def pma(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, Any]:
    """PMA approvals (originals and supplements) under a product code."""
    row = service.product_code_row(con, code.strip().upper())
    data = explore.pma_approvals(con, row["product_code"])
    origin = provenance(con, "scope_pma")
    notes = [*origin["notes"]]
    if not data["records"]:
        notes.append(
            "No PMA records stored for this code: import openFDA's device-pma file "
            "(healthpm fda download --dataset device-pma)."
        )
    notes.append(
        "A PMA supplement approves a change to an approved device (design, labeling, "
        "manufacturing); originals are new approvals."
    )
    return {
        "product_code": row["product_code"],
        "device_name": row["device_name"],
        "device_class": row["device_class"],
        **data,
        "synthetic_records": origin["synthetic"],
        "source": origin["source"],
        "notes": notes,
    }


VIEWS = (
    "failure-modes",
    "clearance-times",
    "predicates",
    "recalls",
    "search",
    "failure-trend",
    "manufacturers",
    "pma",
)


def run_view(  # noqa: PLR0911 (one branch per view)
    con: duckdb.DuckDBPyConnection,
    view: str,
    *,
    product_code: str | None = None,
    subdomain: str | None = None,
    panel: str | None = None,
    since: int | None = None,
    words: str | None = None,
) -> dict[str, Any]:
    """The result dict of any view (shared by `fda export` and the web downloads)."""

    def scope() -> service.Scope:
        return service.resolve_scope(con, product_code=product_code, subdomain=subdomain)

    if view == "failure-modes":
        return service.failure_modes(con, scope(), since=since)
    if view == "clearance-times":
        sc = service.resolve_scope(con, product_code=product_code) if product_code else None
        return service.clearance_times(con, scope=sc, panel=panel, since=since)
    if view == "recalls":
        return service.recalls(con, scope())
    if view == "failure-trend":
        return failure_trend(con, scope(), since=since)
    if view == "search":
        if not words:
            raise InvalidInputError("give the search words with --words")
        sc = scope() if product_code or subdomain else None
        return search(con, words, scope=sc, since=since)
    if not product_code:
        raise InvalidInputError(f"{view} needs --product-code")
    if view == "predicates":
        return service.predicates(con, product_code)
    if view == "manufacturers":
        return manufacturers(con, product_code, since=since)
    if view == "pma":
        return pma(con, product_code)
    raise InvalidInputError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
