"""`healthpm practice ...` commands."""

from __future__ import annotations

import typer

from healthpm.cli import practice_eval

app = typer.Typer(help="Interview practice: score answers, review due questions, mock interviews.",
                  no_args_is_help=True)
practice_eval.register(app)
