"""The `healthpm` Typer app, assembled from the command modules.

`build_app(command)` imports only the module that owns `command` when it is one of the
sub-apps (practice, fda, ...): a cold `healthpm practice score` is the command that has a
start-up target (model load + 1 s, issue 9), and importing every other command's modules
(databases, HTTP clients, FDA views, the web app's helpers) cost about a second of it on a
2-core machine. Anything else (`--help`, a top-level command, a typo) gets the full app, so
help and "no such command" read exactly as before.
"""

from __future__ import annotations

import importlib

import typer

HELP = "Navigator, interview practice and FDA-data workbench for health-tech product managers."

#: Sub-app name -> the modules that define it (the first holds `app`; the rest add commands
#: to it when imported).
SUB_APPS: dict[str, tuple[str, ...]] = {
    "content": ("healthpm.cli.content",),
    "practice": ("healthpm.cli.practice",),
    "fda": ("healthpm.cli.fda", "healthpm.cli.fda_views"),
    "portfolio": ("healthpm.cli.portfolio",),
    "story": ("healthpm.cli.story",),
    "jobs": ("healthpm.cli.jobs",),
}
#: Modules whose `register(app)` adds top-level commands, in help order.
TOP_LEVEL = (
    "healthpm.cli.navigator",
    "healthpm.cli.web",
    "healthpm.cli.data_cmd",
    "healthpm.cli.db_cmd",
)


def _root() -> typer.Typer:
    return typer.Typer(
        name="healthpm",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def _add_sub_app(app: typer.Typer, name: str) -> None:
    owner, *extras = SUB_APPS[name]
    module = importlib.import_module(owner)
    for extra in extras:
        importlib.import_module(extra)
    app.add_typer(module.app, name=name)


def build_app(command: str | None = None) -> typer.Typer:
    """The app for one invocation: only `command`'s sub-app when it names one, else all."""
    app = _root()
    if command in SUB_APPS:
        _add_sub_app(app, command)
        return app
    importlib.import_module(TOP_LEVEL[0]).register(app)  # navigator's commands come first
    for name in SUB_APPS:
        _add_sub_app(app, name)
    for module in TOP_LEVEL[1:]:
        importlib.import_module(module).register(app)
    return app
