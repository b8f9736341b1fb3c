"""The portfolio workbench: openFDA device data as pages, charts and downloadable drafts.

The DuckDB store is per server and holds public data only, so any signed-in user may read it;
nothing here touches user data. Each request opens its own connection (temp tables used by the
queries are per connection) and closes it before the response is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.fda import links, service, store
from healthpm.fda.reference import review_panels
from healthpm.fda.service import Scope
from healthpm.portfolio import export
from healthpm.portfolio import service as portfolio
from healthpm.portfolio.outline import build_outline, outline_markdown
from healthpm.web.deps import CatalogDep, ChartsDep, CurrentAdmin, CurrentUser, SettingsDep
from healthpm.web.fda_charts import (
    chart_label,
    clearance_times_chart,
    event_types_chart,
    problem_categories_chart,
)
from healthpm.web.rendering import render

router = APIRouter(prefix="/workbench", include_in_schema=False)

EMPTY_STORE = (
    "The workbench has no FDA data yet: load the synthetic demo data on the Workbench page "
    "(/workbench), or import openFDA files on the server with the healthpm command line."
)
Param = Annotated[str, Query(max_length=60)]
CODE_RE = re.compile(r"[A-Z]{3}")


def _has_data(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM imported_file").fetchone()
    return bool(row and row[0])


def get_fda(settings: SettingsDep) -> Iterator[duckdb.DuckDBPyConnection]:
    """An open store connection; NotFoundError (404) while nothing has been imported."""
    if not settings.fda_store_path.exists():
        raise NotFoundError(EMPTY_STORE)
    con = store.connect(settings.fda_store_path)
    try:
        if not _has_data(con):
            raise NotFoundError(EMPTY_STORE)
        yield con
    finally:
        con.close()


FdaDep = Annotated[duckdb.DuckDBPyConnection, Depends(get_fda, scope="function")]


def clean_code(value: str) -> str:
    """An upper-case product code, or InvalidInputError when it is not three letters."""
    code = value.strip().upper()
    if not CODE_RE.fullmatch(code):
        raise InvalidInputError(f"{value.strip()!r} is not a product code: use three letters")
    return code


def parse_since(value: str) -> int | None:
    """The optional 'from year' filter; InvalidInputError for anything but a plausible year."""
    text = value.strip()
    if not text:
        return None
    if not text.isdigit() or not 1980 <= int(text) <= date.today().year + 1:
        raise InvalidInputError(f"'from year' must be a year such as 2021, not {text!r}")
    return int(text)


def resolve(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, product_code: str, subdomain: str
) -> Scope:
    """The Scope of a product code or a knowledge-base subdomain (exactly one of them)."""
    if bool(product_code.strip()) == bool(subdomain.strip()):
        raise InvalidInputError("choose either a product code or a subdomain, not both or none")
    if product_code.strip():
        return service.resolve_scope(con, product_code=clean_code(product_code))
    entry = catalog.get("subdomains", subdomain.strip())
    codes = tuple(c.upper() for c in entry.product_codes)
    if not codes:
        raise NotFoundError(f"the subdomain {entry.name!r} lists no FDA product codes")
    return Scope(codes, f"{entry.name} ({', '.join(codes)})", entry.id)


def scope_query(scope: Scope) -> str:
    """The query string that names the same scope on a sibling page."""
    if scope.subdomain:
        return f"subdomain={scope.subdomain}"
    return f"product_code={scope.codes[0]}"


def _page(request: Request, page: str, context: dict[str, Any]) -> HTMLResponse:
    base = {"active": "workbench", "links": links, "panel_names": review_panels()}
    return render(request, f"fda/{page}.html", {**base, **context})


def _status(settings: Settings) -> dict[str, Any] | None:
    """Rows per table and imported files, or None when the store was never created."""
    if not settings.fda_store_path.exists():
        return None
    with service.fda_store(settings) as con:
        status = service.store_status(con)
        status.update(service.store_choices(con))
    status["has_data"] = bool(status["imported"])
    return status


@router.get("", response_class=HTMLResponse)
def workbench_page(
    request: Request, user: CurrentUser, settings: SettingsDep, catalog: CatalogDep
) -> HTMLResponse:
    """What the workbench is, what the store holds, and the forms that open each view."""
    subdomains = [s for s in catalog.subdomains.values() if s.product_codes]
    context = {
        "status": _status(settings),
        "subdomains": sorted(subdomains, key=lambda s: s.name),
        "loaded": request.query_params.get("loaded"),
        "removed": request.query_params.get("removed"),
        "panel_names": review_panels(),
    }
    return _page(request, "index", context)


@router.post("/demo")
def load_demo(user: CurrentAdmin, settings: SettingsDep) -> RedirectResponse:
    """Generate and import the SYNTHETIC demo data set (admins only: every user reads it)."""
    from healthpm.fda.demo import run_demo

    result = run_demo(settings)
    return RedirectResponse(f"/workbench?loaded={result['records_imported']}", status_code=303)


@router.post("/demo/remove")
def remove_demo(user: CurrentAdmin, settings: SettingsDep) -> RedirectResponse:
    """Delete the SYNTHETIC demo rows (FDA rows stay), then show the workbench again."""
    from healthpm.fda.demo import remove_demo as remove

    removed = remove(settings)
    return RedirectResponse(f"/workbench?removed={removed.get('files', 0)}", status_code=303)


@router.get("/failure-modes", response_class=HTMLResponse)
def failure_modes_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    renderer: ChartsDep,
    product_code: Param = "",
    subdomain: Param = "",
    since: Param = "",
) -> HTMLResponse:
    """Device and patient problems, event types by year, narrative excerpts, with caveats."""
    scope = resolve(con, catalog, product_code, subdomain)
    data = service.failure_modes(con, scope, since=parse_since(since))
    categories = data["device_problems"]["categories"]
    label = chart_label(data)
    charts = {
        "events": event_types_chart(data["event_types_by_year"], renderer=renderer, label=label)
        if data["event_types_by_year"]
        else None,
        "categories": problem_categories_chart(categories, renderer=renderer, label=label)
        if categories
        else None,
    }
    types = sorted({k for y in data["event_types_by_year"] for k in y} - {"year", "total"})
    context = {"data": data, "scope": scope, "charts": charts, "event_types": types}
    return _page(request, "failure_modes", context | {"qs": scope_query(scope)})


@router.get("/clearance-times", response_class=HTMLResponse)
def clearance_times_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    renderer: ChartsDep,
    product_code: Param = "",
    panel: Param = "",
    since: Param = "",
) -> HTMLResponse:
    """n, median, p25, p75, p90 days to clearance by year and clearance type, with a chart."""
    if bool(product_code.strip()) == bool(panel.strip()):
        raise InvalidInputError("choose either a product code or a review panel, not both or none")
    scope = (
        service.resolve_scope(con, product_code=clean_code(product_code))
        if product_code.strip()
        else None
    )
    data = service.clearance_times(
        con, scope=scope, panel=panel.strip() or None, since=parse_since(since)
    )
    chart = (
        clearance_times_chart(data["by_year"], renderer=renderer, label=chart_label(data))
        if data["overall"]["n"]
        else None
    )
    export_qs = (scope_query(scope) if scope else f"panel={panel.strip().upper()}") + (
        f"&since={data['scope']['since']}" if data["scope"]["since"] else ""
    )
    context = {
        "data": data,
        "scope": scope,
        "chart": chart,
        "qs": scope and scope_query(scope),
        "export_qs": export_qs,
    }
    return _page(request, "clearance_times", context)


@router.get("/predicates", response_class=HTMLResponse)
def predicates_page(
    request: Request, user: CurrentUser, con: FdaDep, product_code: Param = ""
) -> HTMLResponse:
    """Recent clearances under a product code, as predicate candidates."""
    data = service.predicates(con, clean_code(product_code))
    return _page(
        request, "predicates", {"data": data, "qs": f"product_code={data['product_code']}"}
    )


@router.get("/recalls", response_class=HTMLResponse)
def recalls_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    product_code: Param = "",
    subdomain: Param = "",
) -> HTMLResponse:
    """Recalls by root cause, enforcement class and reason, and the most recent ones."""
    scope = resolve(con, catalog, product_code, subdomain)
    data = service.recalls(con, scope)
    return _page(request, "recalls", {"data": data, "scope": scope, "qs": scope_query(scope)})


def _register(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, product_code: str, subdomain: str, since: str
) -> tuple[Scope, dict[str, Any]]:
    scope = resolve(con, catalog, product_code, subdomain)
    return scope, portfolio.draft_risk_register(con, scope, since=parse_since(since))


@router.get("/risk-register", response_class=HTMLResponse)
def risk_register_page(
    request: Request,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    product_code: Param = "",
    subdomain: Param = "",
    since: Param = "",
) -> HTMLResponse:
    """The ISO 14971-style draft on the page, with .md and .csv downloads."""
    scope, register = _register(con, catalog, product_code, subdomain, since)
    download = scope_query(scope) + (f"&since={parse_since(since)}" if since.strip() else "")
    context = {
        "register": register,
        "columns": portfolio.EXPORT_COLUMNS,
        "scope": scope,
        "qs": scope_query(scope),
        "download_qs": download,
    }
    return _page(request, "risk_register", context)


def attachment(text: str, filename: str, media_type: str) -> Response:
    """A download: the browser saves it under filename instead of showing it."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(text, media_type=f"{media_type}; charset=utf-8", headers=headers)


def _slug(scope: Scope) -> str:
    return (scope.subdomain or scope.codes[0]).lower()


@router.get("/risk-register.{ext}")
def risk_register_download(
    ext: str,
    user: CurrentUser,
    con: FdaDep,
    catalog: CatalogDep,
    product_code: Param = "",
    subdomain: Param = "",
    since: Param = "",
) -> Response:
    """The risk register as Markdown (.md) or CSV (.csv)."""
    if ext not in ("md", "csv"):
        raise NotFoundError(f"the risk register downloads as .md or .csv, not .{ext}")
    scope, register = _register(con, catalog, product_code, subdomain, since)
    name = f"risk-register-{_slug(scope)}.{ext}"
    if ext == "csv":
        text = export.csv_text(portfolio.EXPORT_COLUMNS, register["rows"])
        return attachment(text, name, "text/csv")
    return attachment(portfolio.risk_register_markdown(register), name, "text/markdown")


MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


@router.get("/510k-outline", response_class=HTMLResponse)
def outline_page(
    request: Request, user: CurrentUser, con: FdaDep, product_code: Param = ""
) -> HTMLResponse:
    """The mock 510(k) outline rendered on the page (raw HTML in the data stays escaped)."""
    data = build_outline(con, clean_code(product_code))
    body = Markup(MARKDOWN.render(outline_markdown(data)))  # html=False: data cannot inject tags
    context = {"data": data, "body": body, "qs": f"product_code={data['product_code']}"}
    return _page(request, "outline", context)


@router.get("/510k-outline.md")
def outline_download(user: CurrentUser, con: FdaDep, product_code: Param = "") -> Response:
    """The mock 510(k) outline as a Markdown file."""
    data = build_outline(con, clean_code(product_code))
    name = f"510k-outline-{data['product_code'].lower()}.md"
    return attachment(outline_markdown(data), name, "text/markdown")


from healthpm.web.routes import fda_views as _fda_views  # noqa: E402, F401 (adds its routes)
