"""Navigator commands: init, assess, plan, progress, done, log, levels, salaries, glossary."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from healthpm.catalog import get_catalog
from healthpm.cli.common import console, err_console, print_json
from healthpm.cli.common_store import local_session
from healthpm.cli.demo_cmd import demo
from healthpm.cli.init_cmd import init_command
from healthpm.cli.navigator_render import render_assessment, render_plan, render_progress
from healthpm.cli.reference import register as register_reference
from healthpm.domain.assessment import assess as run_assessment
from healthpm.domain.assessment import assessment_json
from healthpm.errors import InvalidInputError
from healthpm.navigator import service
from healthpm.navigator.export import plan_ics, plan_json, plan_markdown
from healthpm.navigator.profile_io import read_profile

ProfileArg = Annotated[Path, typer.Argument(help="profile file (YAML or JSON)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def assess(profile: ProfileArg, as_json: JsonOpt = False) -> None:
    """Placement, readiness per level, gaps ranked by cost, strengths."""
    catalog = get_catalog()
    result = run_assessment(read_profile(profile, catalog), catalog)
    if as_json:
        print_json(assessment_json(result))
    else:
        render_assessment(console, result, catalog)


def plan(
    profile: ProfileArg,
    as_json: JsonOpt = False,
    fmt: Annotated[str | None, typer.Option("--format", help="md or ics")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write to this file")
    ] = None,
    save: Annotated[bool, typer.Option(help="store as your current plan")] = True,
) -> None:
    """A week-by-week plan within your weekly hours; stored so progress can be tracked."""
    if fmt not in (None, "md", "ics"):
        raise InvalidInputError(f"--format must be md or ics, not {fmt!r}")
    catalog = get_catalog()
    person = read_profile(profile, catalog)
    with local_session() as (session, user):
        before = service.current_profile(session, user=user, catalog=catalog)
        result = service.make_plan(session, user=user, profile=person, catalog=catalog, save=save)
        done_keys = service.done_keys(session, user=user, profile_name=person.name)
    if save and (before is None or before.name != person.name):
        # The terminal and the web app share one local store: say so when this switches it.
        err_console.print(
            f"Your current profile is now {person.name!r}; the web app shows it too.",
            highlight=False,
        )
    if fmt == "ics":
        _emit(plan_ics(plan_json(result)), output)
    elif fmt == "md":
        _emit(plan_markdown(plan_json(result), catalog, done_keys).encode(), output)
    elif as_json:
        print_json(plan_json(result))
    else:
        render_plan(console, result, catalog)


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        typer.echo(data.decode(), nl=False)
        return
    tmp = output.with_suffix(output.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(output)
    console.print(f"wrote {output}")


def progress(as_json: JsonOpt = False) -> None:
    """Progress against your current plan: a bar per track."""
    with local_session() as (session, user):
        rows = service.progress(session, user=user)
    if as_json:
        print_json([{**r.__dict__, "percent": r.percent} for r in rows])
    else:
        render_progress(console, rows)


def done(
    task_key: Annotated[str, typer.Argument(help="task key, as shown by `healthpm plan`")],
    undo: Annotated[bool, typer.Option("--undo", help="mark as not done")] = False,
) -> None:
    """Tick a task of your current plan (re-planning keeps it done)."""
    with local_session() as (session, user):
        task = service.set_task_done(session, user=user, task_key=task_key, done=not undo)
        weeks = [
            i for i, _row in service.task_parts(service.current_plan(session, user=user), task_key)
        ]
    # A task the plan split across weeks is one task: say that every part changed.
    where = (
        f" (all {len(weeks)} parts: weeks {', '.join(map(str, weeks))})" if len(weeks) > 1 else ""
    )
    console.print(f"{'unticked' if undo else 'done'}: {task['title']}{where}", highlight=False)


def log(
    hours: Annotated[float, typer.Argument(help="hours spent")],
    task: Annotated[str | None, typer.Option(help="task key it was for")] = None,
    on: Annotated[str | None, typer.Option(help="date (YYYY-MM-DD), default today")] = None,
    note: Annotated[str, typer.Option(help="what you did")] = "",
) -> None:
    """Log hours spent (optionally against a task)."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise InvalidInputError(f"--on must be a date like 2026-01-31, not {on!r}") from None
    with local_session() as (session, user):
        service.log_hours(session, user=user, hours=hours, on=day, task_key=task, note=note)
    console.print(f"logged {hours:g} h on {day.isoformat()}")


def register(app: typer.Typer) -> None:
    """Add the navigator's top-level commands to the app."""
    app.command("init")(init_command)
    app.command()(assess)
    app.command()(plan)
    app.command()(progress)
    app.command()(done)
    app.command()(log)
    register_reference(app)
    app.command()(demo)
