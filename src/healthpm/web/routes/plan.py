"""The plan: this week first, weeks and tasks (tick them), hours logged, re-plan, downloads."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.navigator import service as navigator
from healthpm.navigator.export import plan_ics, plan_markdown, slug, study_blocks
from healthpm.web.deps import CatalogDep, CurrentUser, SessionDep
from healthpm.web.rendering import is_htmx, render

router = APIRouter(include_in_schema=False)


def this_week(plan: dict[str, Any], today: date, done: frozenset[str]) -> dict[str, Any] | None:
    """The week holding today; before or after the plan, the first week with work left."""
    for week in plan["weeks"]:
        if week["start"] <= today.isoformat() <= week["end"]:
            return dict(week)
    for week in plan["weeks"]:
        if any(t["key"] not in done for t in week["tasks"]):
            return dict(week)
    return None


def plan_context(session: SessionDep, owner: User, today: date | None = None) -> dict[str, Any]:
    """The stored plan with done state, progress and this week; also the coach's view."""
    try:
        plan = navigator.current_plan(session, user=owner)
    except NotFoundError:
        return {"plan": None}
    today = today or date.today()
    done = navigator.done_keys(session, user=owner)
    week = this_week(plan, today, done)
    logged = 0.0
    if week is not None:
        start, end = date.fromisoformat(week["start"]), date.fromisoformat(week["end"])
        logged = navigator.hours_logged(session, user=owner, start=start, end=end)
    upcoming = [m for m in plan["milestones"] if week is None or m["week"] >= week["index"]]
    return {
        "plan": plan,
        "done": done,
        "progress": navigator.progress(session, user=owner),
        "this_week": week,
        "week_blocks": study_blocks(week, plan) if week is not None else [],
        "study_start": plan.get("study_start") or "19:00",
        "week_logged": logged,
        "next_milestone": upcoming[0] if upcoming else None,
    }


def _page(
    request: Request, session: SessionDep, user: User, catalog: Catalog, **extra: Any
) -> dict[str, Any]:
    return plan_context(session, user) | {
        "active": "plan",
        "catalog": catalog,
        "today": date.today(),
        "readonly": False,
        **extra,
    }


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    logged: float | None = None,
    task: str = "",
    was: str = "",
) -> HTMLResponse:
    context = _page(request, session, user, catalog, logged=logged)
    if logged and task and context["plan"]:
        titles = {t["key"]: t["title"] for t in context["plan"]["tasks"]}
        context["logged_task"] = titles.get(task, "")
    if was and context["plan"]:
        try:
            context["changes"] = navigator.describe_change(json.loads(was), context["plan"])
        except (ValueError, KeyError, TypeError):
            context["changes"] = None
    return render(request, "navigator/plan.html", context)


def _summary(plan: dict[str, Any]) -> str:
    """What describe_change needs of the plan before a re-plan, small enough for a URL."""
    return json.dumps(
        {
            "total_hours": plan["total_hours"],
            "weeks": [0] * len(plan["weeks"]),
            "tasks": [{"key": t["key"]} for t in plan["tasks"]],
            "done": [{"key": t["key"]} for t in plan["done"]],
        },
        separators=(",", ":"),
    )


@router.post("/plan/replan")
def replan(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    """Plan again from the current profile; ticked tasks stay ticked; say what changed."""
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        return RedirectResponse("/onboarding", status_code=303)
    try:
        before = _summary(navigator.current_plan(session, user=user))
    except NotFoundError:
        before = ""
    navigator.make_plan(session, user=user, profile=profile, catalog=catalog)
    query = "?" + urlencode({"was": before}) if before else ""
    return RedirectResponse("/plan" + query, status_code=303)


@router.post("/plan/tasks/{task_key}", response_model=None)
def tick_task(
    request: Request,
    task_key: str,
    session: SessionDep,
    user: CurrentUser,
    done: Annotated[bool, Form()] = True,
    week: Annotated[int | None, Form()] = None,
) -> Response:
    """Tick or untick a task: every week's part of it. htmx gets the clicked row back, the
    task's rows in other weeks and the progress card out of band."""
    navigator.set_task_done(session, user=user, task_key=task_key, done=done)
    rows = navigator.task_parts(navigator.current_plan(session, user=user), task_key)
    weeks = [index for index, _task in rows]
    clicked = week if week in weeks else (weeks[0] if weeks else None)
    if is_htmx(request):
        context = {
            "rows": rows,
            "clicked_week": clicked,
            "done": {task_key} if done else set(),
            "readonly": False,
            "progress": navigator.progress(session, user=user),
            "oob": True,
        }
        return render(request, "navigator/_tick.html", context)
    anchor = f"#task-{task_key}-w{clicked}" if clicked is not None else "#progress-card"
    return RedirectResponse(f"/plan{anchor}", status_code=303)


def _hours_errors(hours: str, on: str) -> tuple[dict[str, str], float, date | None]:
    errors: dict[str, str] = {}
    value, day = 0.0, None
    try:
        value = float(hours)
    except ValueError:
        errors["hours"] = "Enter the hours as a number, for example 1.5."
    else:
        if not 0 < value <= navigator.MAX_HOURS_PER_LOG:
            errors["hours"] = "Enter more than 0 and at most 24 hours."
    try:
        day = date.fromisoformat(on)
    except ValueError:
        errors["on"] = "Pick the day you studied."
    return errors, value, day


@router.post("/plan/hours")
def add_hours(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    hours: Annotated[str, Form(max_length=20)] = "",
    on: Annotated[str, Form(max_length=20)] = "",
    task_key: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Log hours; a bad value re-renders the plan with the error beside its field."""
    errors, value, day = _hours_errors(hours, on)
    if not errors and day is not None:
        try:
            navigator.log_hours(
                session, user=user, hours=value, on=day, task_key=task_key or None, note=note
            )
        except InvalidInputError as exc:
            errors["hours"] = str(exc)
    if errors:
        form = {"hours": hours, "on": on, "task_key": task_key, "note": note}
        context = _page(request, session, user, catalog, hours_form=form, hours_errors=errors)
        return render(request, "navigator/plan.html", context, status_code=400)
    query = urlencode({"logged": f"{value:g}", "task": task_key})
    return RedirectResponse(f"/plan?{query}#hours", status_code=303)


@router.get("/plan.ics")
def plan_calendar(session: SessionDep, user: CurrentUser) -> Response:
    """The calendar of the plan on the page: a timed block on each study day."""
    plan = navigator.current_plan(session, user=user)
    return _download(plan_ics(plan), "text/calendar", f"{slug(plan['profile'])}-plan.ics")


@router.get("/plan.md")
def plan_md(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    """The plan on the page as Markdown, ticked tasks checked."""
    plan = navigator.current_plan(session, user=user)
    body = plan_markdown(plan, catalog, navigator.done_keys(session, user=user)).encode()
    return _download(body, "text/markdown; charset=utf-8", f"{slug(plan['profile'])}-plan.md")


@router.get("/plan.json")
def plan_download_json(session: SessionDep, user: CurrentUser) -> Response:
    body = json.dumps(navigator.current_plan(session, user=user), indent=2).encode()
    return _download(body, "application/json", "plan.json")


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)
