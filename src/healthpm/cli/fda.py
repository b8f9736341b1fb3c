"""`healthpm fda ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="fda commands", no_args_is_help=True)
