"""Navigator commands: init, assess, plan, progress, levels, salaries, glossary."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the navigator's top-level commands to the app."""
