"""The command line: parse, call a service, render with Rich. Heavy imports stay lazy.

`healthpm.cli.app` is the full Typer app (built on first access, for tests and docs);
`main()` builds only what the invoked command needs (see `healthpm.cli.app`).
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    """Entry point of the `healthpm` script."""
    from healthpm.cli.app import build_app
    from healthpm.cli.common import run_app

    command = sys.argv[1] if len(sys.argv) > 1 else None
    sys.exit(run_app(build_app(command)))


def __getattr__(name: str) -> Any:
    if name == "app":
        from healthpm.cli.app import build_app

        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(f"module 'healthpm.cli' has no attribute {name!r}")
