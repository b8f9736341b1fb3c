"""`healthpm fda search | failure-trend | manufacturers | pma | export`: the newer views."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from healthpm.cli.common import console, print_json
from healthpm.cli.fda import (
    CodeOpt,
    JsonOpt,
    RequiredCodeOpt,
    SinceOpt,
    SubOpt,
    _show,
    _show_scoped,
    app,
)
from healthpm.config import get_settings

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


@app.command()
def search(
    words: Annotated[
        str, typer.Argument(help="words that must all appear, e.g. 'occlusion alarm'")
    ],
    product_code: CodeOpt = None,
    subdomain: SubOpt = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search of MAUDE event narratives (every word must appear)."""
    from healthpm.fda import render_views, service, views

    def query(con: DuckDBPyConnection) -> dict[str, Any]:
        scope = (
            service.resolve_scope(con, product_code=product_code, subdomain=subdomain)
            if product_code or subdomain
            else None
        )
        return views.search(con, words, scope=scope, since=since)

    _show(render_views.search, as_json, query)


@app.command("failure-trend")
def failure_trend(
    product_code: CodeOpt = None,
    subdomain: SubOpt = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reports per quarter for the most reported IMDRF device-problem categories."""
    from healthpm.fda import render_views, views

    query = partial(views.failure_trend, since=since)
    _show_scoped(render_views.failure_trend, as_json, query, product_code, subdomain)


@app.command()
def manufacturers(
    product_code: RequiredCodeOpt, since: SinceOpt = None, as_json: JsonOpt = False
) -> None:
    """Reports per manufacturer and brand within one product code (counts, not rates)."""
    from healthpm.fda import render_views, views

    _show(
        render_views.manufacturers,
        as_json,
        lambda con: views.manufacturers(con, product_code, since=since),
    )


@app.command()
def pma(product_code: RequiredCodeOpt, as_json: JsonOpt = False) -> None:
    """PMA approvals (originals and supplements) under a product code."""
    from healthpm.fda import render_views, views

    _show(render_views.pma, as_json, lambda con: views.pma(con, product_code))


@app.command()
def export(
    view: Annotated[str, typer.Argument(help="failure-modes, clearance-times, predicates, ...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the files")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    product_code: CodeOpt = None,
    subdomain: SubOpt = None,
    panel: Annotated[str | None, typer.Option("--panel", help="review panel")] = None,
    since: SinceOpt = None,
    words: Annotated[str | None, typer.Option("--words", help="for search")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write every table of a view as CSV or Parquet (one file per table)."""
    from healthpm.fda import service, tables, views

    with service.fda_store(get_settings()) as con:
        data = views.run_view(
            con, view, product_code=product_code, subdomain=subdomain, panel=panel,
            since=since, words=words,
        )  # fmt: skip
    prefix = f"{view}-{(product_code or subdomain or panel or '').strip().lower()}".rstrip("-")
    written = tables.write_tables(tables.tables_of(view, data), out, fmt, prefix)
    if as_json:
        print_json({"files": [str(p) for p in written]})
        return
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)
