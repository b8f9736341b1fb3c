"""Workbench pages for the newer views (search, failure trend, manufacturers, PMA) and the
CSV/Parquet download of any view's table. Routes are added to the workbench router."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.fda import service, tables, views
from healthpm.web.deps import CatalogDep, ChartsDep, CurrentUser
from healthpm.web.fda_charts import chart_label, failure_trend_chart
from healthpm.web.routes.fda import (
    FdaDep,
    Param,
    _page,
    clean_code,
    parse_since,
    resolve,
    router,
    scope_query,
)

MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    q: Param = "",
    product_code: Param = "",
    subdomain: Param = "",
    since: Param = "",
) -> HTMLResponse:
    """Full-text search of MAUDE narratives, optionally within a product code or subdomain."""
    scope = resolve(con, catalog, product_code, subdomain) if (product_code or subdomain) else None
    data = views.search(con, q, scope=scope, since=parse_since(since)) if q.strip() else None
    qs = scope_query(scope) if scope else ""
    export_qs = f"words={q.strip()}" + (f"&{qs}" if qs else "")
    context = {"data": data, "q": q, "scope": scope, "qs": qs, "export_qs": export_qs}
    return _page(request, "search", context)


@router.get("/failure-trend", response_class=HTMLResponse)
def failure_trend_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    renderer: ChartsDep,
    product_code: Param = "",
    subdomain: Param = "",
    since: Param = "",
) -> HTMLResponse:
    """Reports per quarter for the most reported IMDRF categories, charted and tabled."""
    scope = resolve(con, catalog, product_code, subdomain)
    data = views.failure_trend(con, scope, since=parse_since(since))
    chart = (
        failure_trend_chart(data["series"], renderer=renderer, label=chart_label(data))
        if data["series"]
        else None
    )
    cells = {(p["quarter"], p["imdrf_code"]): p["reports"] for p in data["series"]}
    context = {"data": data, "scope": scope, "chart": chart, "cells": cells,
               "qs": scope_query(scope)}  # fmt: skip
    return _page(request, "failure_trend", context)


@router.get("/manufacturers", response_class=HTMLResponse)
def manufacturers_page(
    request: Request, user: CurrentUser, con: FdaDep, product_code: Param = "", since: Param = ""
) -> HTMLResponse:
    """Reports per manufacturer and brand within one product code (counts, not rates)."""
    data = views.manufacturers(con, clean_code(product_code), since=parse_since(since))
    return _page(
        request, "manufacturers", {"data": data, "qs": f"product_code={data['product_code']}"}
    )


@router.get("/pma", response_class=HTMLResponse)
def pma_page(
    request: Request, user: CurrentUser, con: FdaDep, product_code: Param = ""
) -> HTMLResponse:
    """PMA approvals (originals and supplements) under a product code."""
    data = views.pma(con, clean_code(product_code))
    return _page(request, "pma", {"data": data, "qs": f"product_code={data['product_code']}"})


@router.get("/export/{view}/{table}.{fmt}")
def export_table(
    view: str,
    table: str,
    fmt: str,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    product_code: Param = "",
    subdomain: Param = "",
    panel: Param = "",
    since: Param = "",
    words: Param = "",
) -> Response:
    """One table of a view as CSV or Parquet, each row labelled with its data source."""
    if fmt not in MEDIA:
        raise NotFoundError(f"tables download as .csv or .parquet, not .{fmt}")
    kwargs: dict[str, Any] = {"since": parse_since(since), "words": words.strip() or None}
    if subdomain.strip():
        scope = resolve(con, catalog, "", subdomain)
        kwargs["product_code"], kwargs["subdomain"] = None, None
        data = _subdomain_view(con, view, scope, kwargs)
    else:
        code = clean_code(product_code) if product_code.strip() else None
        data = views.run_view(con, view, product_code=code, panel=panel.strip() or None, **kwargs)
    found = tables.tables_of(view, data)
    if table not in found:
        raise NotFoundError(f"{view} has no table {table!r}; one of {', '.join(found)}")
    rows = found[table]
    body: str | bytes = tables.csv_text(rows) if fmt == "csv" else tables.parquet_bytes(rows)
    slug = (product_code or subdomain or panel or "all").strip().lower()
    name = f"{view}-{slug}-{table}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA[fmt], headers=headers)


def _subdomain_view(
    con: Any, view: str, scope: service.Scope, kwargs: dict[str, Any]
) -> dict[str, Any]:
    since = kwargs["since"]
    if view == "failure-modes":
        return service.failure_modes(con, scope, since=since)
    if view == "recalls":
        return service.recalls(con, scope)
    if view == "failure-trend":
        return views.failure_trend(con, scope, since=since)
    if view == "search" and kwargs["words"]:
        return views.search(con, kwargs["words"], scope=scope, since=since)
    raise InvalidInputError(f"{view} takes a product code, not a subdomain")
