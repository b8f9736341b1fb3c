"""`healthpm content check|list`: validate and inspect the knowledge base."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from healthpm.catalog import DATED_KINDS, KINDS, Catalog, load_catalog
from healthpm.cli.common import console, print_json
from healthpm.cli.reference import print_citation
from healthpm.domain.citations import months_before, stale
from healthpm.domain.content import GlossaryTerm, Question
from healthpm.errors import InvalidInputError, NotFoundError

app = typer.Typer(help="Validate and list the knowledge base.", no_args_is_help=True)


@app.command()
def check(
    stale_months: Annotated[
        int | None,
        typer.Option(
            "--stale",
            metavar="MONTHS",
            help="also list dated entries (glossary, questions, salaries) whose as_of is older "
            "than this many months; still exits 0",
        ),
    ] = None,
) -> None:
    """Validate every content file and cross-reference; print counts (exit 1 if invalid)."""
    if stale_months is not None and stale_months < 0:
        raise InvalidInputError(f"--stale takes a number of months, 0 or more; got {stale_months}")
    catalog = load_catalog()
    table = Table(title="Knowledge base: valid", title_justify="left")
    table.add_column("kind")
    table.add_column("entries", justify="right")
    for kind, count in catalog.counts().items():
        table.add_row(kind, str(count))
    console.print(table)
    if stale_months is not None:
        _print_stale(catalog, stale_months, date.today())


def _print_stale(catalog: Catalog, months: int, today: date) -> None:
    found = stale(catalog.dated_entries(), months=months, today=today)
    cutoff = months_before(today, months)
    if not found:
        console.print(
            f"No dated entry is older than {months} months (all checked on or after {cutoff}).",
            highlight=False,
        )
        return
    console.print(
        f"{len(found)} entries were last checked before {cutoff} (older than {months} months); "
        "re-check them against their source and update as_of:",
        highlight=False,
    )
    for item in found:
        where = catalog.origin[f"{item.kind}:{item.id}"]
        console.print(
            f"  {item.as_of}  {item.months_old:>3} months  {item.kind}:{item.id}  ({where})",
            highlight=False,
        )


def _items(catalog: Catalog, kind: str) -> list[object]:
    if kind == "levels":
        return list(catalog.levels_ascending())
    return list(getattr(catalog, kind).values())


@app.command("list")
def list_(
    kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(KINDS)}")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List entries of one kind (levels in ascending order)."""
    if kind not in KINDS:
        raise InvalidInputError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    items = _items(load_catalog(), kind)
    if as_json:
        print_json([i.model_dump(mode="json") for i in items])  # type: ignore[attr-defined]
        return
    for i in items:
        label = getattr(i, "name", None) or getattr(i, "term", None) or getattr(i, "prompt", "")
        console.print(f"{i.id}  {label}", highlight=False)  # type: ignore[attr-defined]


@app.command("show")
def show(
    item_id: Annotated[str, typer.Argument(help="a question, glossary term or salary band id")],
    answer: Annotated[bool, typer.Option("--answer", help="also print the model answer")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One dated entry with its source, the date it was checked and its public documents."""
    catalog = load_catalog()
    kind = next((k for k in DATED_KINDS if item_id in getattr(catalog, k)), None)
    if kind is None:
        raise NotFoundError(
            f"no question, glossary term or salary band has id {item_id!r}; "
            "see `healthpm content list questions`"
        )
    entry = getattr(catalog, kind)[item_id]
    if as_json:
        print_json(entry.model_dump(mode="json"))
        return
    if isinstance(entry, Question):
        console.print(f"[bold]{entry.prompt}[/]", highlight=False)
        console.print(f"levels: {', '.join(entry.levels)}", highlight=False)
        for title, lines in (
            ("Talking points", entry.talking_points),
            ("Follow-ups", entry.follow_ups),
        ):
            console.print(f"{title}:", highlight=False)
            for line in lines:
                console.print(f"  - {line}", highlight=False, markup=False)
        if answer:
            console.print("Model answer:", highlight=False)
            console.print(entry.model_answer, highlight=False, markup=False)
    elif isinstance(entry, GlossaryTerm):
        console.print(f"[bold]{entry.term}[/]: {entry.definition}", highlight=False)
    else:
        console.print(f"{entry.id}: {entry.level}, {entry.company_type}", highlight=False)
    print_citation(entry)
