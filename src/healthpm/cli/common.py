"""What every command shares: consoles, the error boundary, JSON output, the store."""

from __future__ import annotations

import json
from typing import Any

import click
import typer
from rich.console import Console

from healthpm.errors import HealthPMError

console = Console()
err_console = Console(stderr=True)

INTERRUPTED = 130
INTERRUPT_LINE = "interrupted: stopped before the step in progress was saved (nothing half-written)"


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """ClickException classes in use: typer >= 0.29 ships its own copy of click's."""
    types: list[type[BaseException]] = [click.exceptions.ClickException]
    try:
        from typer._click import exceptions as typer_click
    except ImportError:  # older typer raises click's own exceptions
        return tuple(types)
    types.append(typer_click.ClickException)
    return tuple(types)


USAGE_ERRORS = _click_exception_types()


class InterruptedRun(HealthPMError):
    """Ctrl-C, with a command's own account of what was saved before the stop."""

    exit_code = INTERRUPTED


def _usage_line(exc: BaseException) -> str:
    """One line: the problem and where to get help (no usage block, no traceback)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"error: {' '.join(str(message).split())}{hint}"


def run_app(app: typer.Typer, argv: list[str] | None = None) -> int:
    """Run the Typer app; errors become one line on stderr and a non-zero exit code.

    HealthPMError -> its exit code; a usage error (unknown option, bad value, missing argument)
    -> exit 2; Ctrl-C -> exit 130. typer returns Exit codes (including the 130 it makes of a
    KeyboardInterrupt) instead of raising them when standalone_mode is off, so the return value
    is the exit code.
    """
    try:
        result = app(args=argv, standalone_mode=False, prog_name="healthpm")
    except InterruptedRun as exc:
        err_console.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        return INTERRUPTED
    except HealthPMError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, click.exceptions.Abort):
        err_console.print("aborted", markup=False)
        return INTERRUPTED
    except KeyboardInterrupt:
        err_console.print(INTERRUPT_LINE, markup=False, soft_wrap=True)
        return INTERRUPTED
    except USAGE_ERRORS as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: show its help
            exc.show()  # type: ignore[attr-defined]
            return int(getattr(exc, "exit_code", 2))
        err_console.print(_usage_line(exc), markup=False, highlight=False, soft_wrap=True)
        return int(getattr(exc, "exit_code", 2))
    if isinstance(result, int) and not isinstance(result, bool):
        if result == INTERRUPTED:
            err_console.print(INTERRUPT_LINE, markup=False, soft_wrap=True)
        return result
    return 0


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, nothing else."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
