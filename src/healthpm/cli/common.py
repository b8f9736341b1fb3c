"""What every command shares: consoles, the error boundary, JSON output, the store."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

from healthpm.errors import HealthPMError

console = Console()
err_console = Console(stderr=True)


def run_app(app: typer.Typer, argv: list[str] | None = None) -> int:
    """Run the Typer app; a HealthPMError becomes one line on stderr and its exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except HealthPMError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        err_console.print("aborted", markup=False)
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        return 130
    except Exception as exc:  # click usage errors and the like
        usage = _click_exception(exc)
        if usage is None:
            raise
        usage.show()
        return int(usage.exit_code)
    return 0


def _click_exception(exc: Exception) -> Any:
    """The exception when it is a usage error of click or of typer's vendored click, else None.

    typer 0.29 raises `typer._click.exceptions.*`, which are not subclasses of click's own:
    checking click's alone let `healthpm user list` end in a traceback.
    """
    import click

    kinds: list[type[Exception]] = [click.exceptions.ClickException]
    try:
        from typer._click import exceptions as vendored
    except ImportError:  # an older typer uses click itself
        pass
    else:
        kinds.append(vendored.ClickException)
    return exc if isinstance(exc, tuple(kinds)) else None


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, nothing else."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
