"""`healthpm portfolio ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="portfolio commands", no_args_is_help=True)
