"""The plan: weeks and tasks (tick them), hours logged, re-plan, downloads (.ics, .md, .json)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.planning import Plan
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.navigator.export import plan_ics, plan_markdown, slug
from healthpm.web.deps import CatalogDep, CurrentUser, SessionDep
from healthpm.web.rendering import is_htmx, render

router = APIRouter(include_in_schema=False)


def plan_context(session: SessionDep, owner: User) -> dict[str, Any]:
    """The stored plan with done state and progress; also used by the coach's read-only view."""
    try:
        plan = navigator.current_plan(session, user=owner)
    except NotFoundError:
        return {"plan": None}
    return {
        "plan": plan,
        "done": navigator.done_keys(session, user=owner),
        "progress": navigator.progress(session, user=owner),
    }


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> HTMLResponse:
    context = plan_context(session, user) | {
        "active": "plan",
        "catalog": catalog,
        "today": date.today(),
        "readonly": False,
    }
    return render(request, "navigator/plan.html", context)


@router.post("/plan/replan")
def replan(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    """Plan again from the current profile; ticked tasks stay ticked."""
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        return RedirectResponse("/onboarding", status_code=303)
    navigator.make_plan(session, user=user, profile=profile, catalog=catalog)
    return RedirectResponse("/plan", status_code=303)


@router.post("/plan/tasks/{task_key}", response_model=None)
def tick_task(
    request: Request,
    task_key: str,
    session: SessionDep,
    user: CurrentUser,
    done: Annotated[bool, Form()] = True,
) -> Response:
    """Tick or untick one task; htmx gets the task's row back, a plain form the page."""
    task = navigator.set_task_done(session, user=user, task_key=task_key, done=done)
    if is_htmx(request):
        context = {"task": task, "done": {task_key} if done else set(), "readonly": False}
        return render(request, "navigator/_task.html", context)
    return RedirectResponse(f"/plan#task-{task_key}", status_code=303)


@router.post("/plan/hours")
def add_hours(
    session: SessionDep,
    user: CurrentUser,
    hours: Annotated[float, Form(gt=0, le=24)],
    on: Annotated[date, Form()],
    task_key: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    navigator.log_hours(
        session, user=user, hours=hours, on=on, task_key=task_key or None, note=note
    )
    return RedirectResponse("/plan#hours", status_code=303)


def _domain_plan(session: SessionDep, user: User, catalog: Catalog) -> Plan:
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        raise NotFoundError("no profile yet: complete onboarding first")
    return navigator.make_plan(session, user=user, profile=profile, catalog=catalog, save=False)


@router.get("/plan.ics")
def plan_calendar(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    plan = _domain_plan(session, user, catalog)
    return _download(plan_ics(plan), "text/calendar", f"{slug(plan.profile_name)}-plan.ics")


@router.get("/plan.md")
def plan_md(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    plan = _domain_plan(session, user, catalog)
    body = plan_markdown(plan, catalog).encode()
    return _download(body, "text/markdown; charset=utf-8", f"{slug(plan.profile_name)}-plan.md")


@router.get("/plan.json")
def plan_download_json(session: SessionDep, user: CurrentUser) -> Response:
    body = json.dumps(navigator.current_plan(session, user=user), indent=2).encode()
    return _download(body, "application/json", "plan.json")


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)
