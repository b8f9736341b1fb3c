"""`healthpm serve` and `healthpm user ...`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the web server and user-management commands to the app."""
