"""The command line: parse, call a service, render with Rich. Heavy imports stay lazy."""

from __future__ import annotations

import sys

import typer

from healthpm.cli import (
    content,
    data_cmd,
    db_cmd,
    fda,
    jobs,
    navigator,
    portfolio,
    practice,
    story,
    web,
)
from healthpm.cli import fda_views as _fda_views  # noqa: F401 (registers its commands)
from healthpm.cli.common import run_app

app = typer.Typer(
    name="healthpm",
    help="Navigator, interview practice and FDA-data workbench for health-tech product managers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
navigator.register(app)
app.add_typer(content.app, name="content")
app.add_typer(practice.app, name="practice")
app.add_typer(fda.app, name="fda")
app.add_typer(portfolio.app, name="portfolio")
app.add_typer(story.app, name="story")
app.add_typer(jobs.app, name="jobs")
web.register(app)
data_cmd.register(app)
db_cmd.register(app)


def main() -> None:
    """Entry point of the `healthpm` script."""
    sys.exit(run_app(app))
