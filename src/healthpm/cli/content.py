"""`healthpm content check|list`: validate and inspect the knowledge base."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from healthpm.catalog import KINDS, Catalog, load_catalog
from healthpm.cli.common import console, print_json
from healthpm.errors import InvalidInputError

app = typer.Typer(help="Validate and list the knowledge base.", no_args_is_help=True)


@app.command()
def check() -> None:
    """Validate every content file and cross-reference; print counts."""
    catalog = load_catalog()
    table = Table(title="Knowledge base: valid", title_justify="left")
    table.add_column("kind")
    table.add_column("entries", justify="right")
    for kind, count in catalog.counts().items():
        table.add_row(kind, str(count))
    console.print(table)


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
