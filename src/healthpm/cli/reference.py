"""Reference commands over the catalog: levels, salaries, glossary."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from healthpm.catalog import get_catalog
from healthpm.cli.common import console, print_json
from healthpm.domain.citations import readable_source
from healthpm.domain.content import DatedEntry
from healthpm.errors import NotFoundError


def levels() -> None:
    """The career ladder: scope, what each level owns, time in role."""
    catalog = get_catalog()
    for lv in catalog.levels_ascending():
        months = lv.typical_months_in_role
        span = f"{months.min}-{months.max}" if months.max is not None else f"{months.min}+"
        console.print(
            f"\n[bold]{lv.order}. {lv.name}[/] ({', '.join(lv.aliases[:3])}) — "
            f"typically {span} months in role",
            highlight=False,
        )
        console.print(f"  {lv.scope}", highlight=False)
        console.print("  Owns: " + "; ".join(lv.owns), highlight=False)
        console.print("  Promotion: " + "; ".join(lv.promotion_criteria), highlight=False)
        console.print(f"  [dim]source: {readable_source(lv.source)}[/]", highlight=False)


def _money(value: int | None) -> str:
    return "—" if value is None else f"${value / 1000:,.0f}K"


def salaries(
    level: Annotated[str | None, typer.Option(help="level id")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Published salary ranges by level and company type; sources are never averaged."""
    catalog = get_catalog()
    if level is not None:
        catalog.get("levels", level)
    bands = [b for b in catalog.salaries.values() if level in (None, b.level)]
    order = {lv.id: lv.order for lv in catalog.levels.values()}
    bands.sort(key=lambda b: (order[b.level], b.company_type, b.low_usd or 0))
    if as_json:
        print_json([b.model_dump(mode="json") for b in bands])
        return
    table = Table(
        title="Salary ranges (USD as published, base or total not stated; each row one source)",
        title_justify="left",
    )
    for col in ("level", "company type", "range", "year", "source (as of)", "covers"):
        table.add_column(col, overflow="fold")
    for b in bands:
        top = _money(b.high_usd) + ("+" if b.open_top else "")
        table.add_row(
            catalog.levels[b.level].name,
            b.company_type,
            f"{_money(b.low_usd)}–{top}",
            str(b.year),
            f"{readable_source(b.source)} ({b.as_of})",
            b.basis,
        )
    console.print(table)
    covered = {(b.level, b.company_type) for b in bands}
    console.print(
        f"{len(covered)} level x company-type cells have a sourced range; the others "
        "have none in our sources, and healthpm does not invent one. The ranges are "
        "indicative only."
    )


def glossary(term: Annotated[str, typer.Argument(help="a term or part of one")]) -> None:
    """Look up a health-tech term (HIPAA, 510(k), FHIR, CPT ...)."""
    catalog = get_catalog()
    needle = term.strip().lower()
    hits = [
        g
        for g in catalog.glossary.values()
        if needle in (g.term.lower(), g.id) or needle in g.term.lower()
    ]
    if not hits:
        raise NotFoundError(f"no glossary term matches {term!r}; try a shorter part of it")
    for g in hits[:5]:
        console.print(f"[bold]{g.term}[/]: {g.definition}", highlight=False)
        if g.see_also:
            console.print(f"  see also: {', '.join(g.see_also)}", highlight=False)
        print_citation(g)


def print_citation(entry: DatedEntry) -> None:
    """Source (seed files by title), the date it was checked, and its public documents."""
    console.print(
        f"  [dim]source: {readable_source(entry.source)} (as of {entry.as_of})[/]",
        highlight=False,
    )
    for url in entry.urls:
        console.print(f"  [dim]  {url}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(levels)
    app.command()(salaries)
    app.command()(glossary)
