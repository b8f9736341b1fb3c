"""`healthpm portfolio ...` commands: portfolio drafts built on the FDA store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthpm.cli.common import console, print_json
from healthpm.config import get_settings

app = typer.Typer(
    help="Portfolio drafts from FDA data: risk register, mock 510(k) outline.",
    no_args_is_help=True,
)

OutOpt = Annotated[Path, typer.Option("-o", "--output", help="file to write (.md or .csv)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="also print the draft as JSON")]


@app.command("risk-register")
def risk_register(
    output: OutOpt,
    subdomain: Annotated[str | None, typer.Option("--subdomain", help="subdomain id")] = None,
    product_code: Annotated[str | None, typer.Option("--product-code", help="e.g. LZG")] = None,
    since: Annotated[int | None, typer.Option("--since", help="reports from this year on")] = None,
    as_json: JsonOpt = False,
) -> None:
    """ISO 14971-style register seeded from observed failure modes (CSV or MD by extension)."""
    from healthpm.fda import service as fda
    from healthpm.portfolio import export, service

    export.format_for(output)
    with fda.fda_store(get_settings()) as con:
        scope = fda.resolve_scope(con, product_code=product_code, subdomain=subdomain)
        register = service.draft_risk_register(con, scope, since=since)
    path = service.write_risk_register(register, output)
    if as_json:
        print_json(register)
        return
    flag = " (SYNTHETIC data)" if register["synthetic_reports"] else ""
    console.print(
        f"wrote {len(register['rows'])} risk rows from {register['reports']} reports "
        f"to {path}{flag}",
        markup=False,
    )


@app.command("510k-outline")
def outline_510k(
    output: OutOpt,
    product_code: Annotated[str, typer.Option("--product-code", help="FDA product code")],
    as_json: JsonOpt = False,
) -> None:
    """Mock traditional 510(k) outline: sections, predicates, SE table, testing, review time."""
    from healthpm.fda import service as fda
    from healthpm.portfolio import export
    from healthpm.portfolio.outline import build_outline, outline_markdown

    export.format_for(output, allowed=("markdown",))
    with fda.fda_store(get_settings()) as con:
        data = build_outline(con, product_code)
    path = export.write_atomic(output, outline_markdown(data))
    if as_json:
        print_json(data)
        return
    flag = " (SYNTHETIC data)" if data["synthetic"] else ""
    console.print(
        f"wrote the 510(k) outline for {data['product_code']} to {path}{flag}", markup=False
    )
