"""`healthpm practice eval`: agreement of the feedback engine with graded answers."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the eval command to the practice app."""
