"""The coach's read-only views of what candidates share, and comments on their attempts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts import sharing
from healthpm.accounts.models import User
from healthpm.practice import service as practice
from healthpm.web.deps import CatalogDep, ChartsDep, CurrentCoach, ObjectId, SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes.plan import plan_context
from healthpm.web.routes.practice import attempt_context, history_context

router = APIRouter(include_in_schema=False)


def _label(owner: User) -> str:
    return owner.name or owner.email


@router.get("/coach", response_class=HTMLResponse)
def coach_home(request: Request, session: SessionDep, coach: CurrentCoach) -> HTMLResponse:
    shared = sharing.shared_with(session, coach=coach)
    return render(request, "sharing/coach.html", {"shared": shared})


@router.get("/coach/{owner_id}/plan", response_class=HTMLResponse)
def coach_plan(
    request: Request,
    owner_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="plan")
    context = plan_context(session, owner) | {
        "catalog": catalog,
        "readonly": True,
        "owner_label": _label(owner),
    }
    return render(request, "navigator/plan.html", context)


@router.get("/coach/{owner_id}/practice", response_class=HTMLResponse)
def coach_history(
    request: Request,
    owner_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    charts: ChartsDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    context = history_context(session, owner, charts) | {
        "owner_label": _label(owner),
        "base": f"/coach/{owner.id}",
    }
    return render(request, "practice/history.html", context)


@router.get("/coach/{owner_id}/attempts/{attempt_id}", response_class=HTMLResponse)
def coach_attempt(
    request: Request,
    owner_id: ObjectId,
    attempt_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    attempt = practice.get_attempt(session, user_id=owner.id, attempt_id=attempt_id)
    context = attempt_context(session, attempt, catalog, coach) | {
        "comment_action": f"/coach/{owner.id}/attempts/{attempt.id}/comments",
        "back_href": f"/coach/{owner.id}/practice",
    }
    return render(request, "practice/attempt.html", context)


@router.post("/coach/{owner_id}/attempts/{attempt_id}/comments")
def coach_comment(
    owner_id: ObjectId,
    attempt_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    body: Annotated[str, Form(max_length=4000)],
) -> Response:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind="practice")
    attempt = practice.get_attempt(session, user_id=owner.id, attempt_id=attempt_id)
    sharing.add_comment(session, author=coach, owner_id=owner.id, attempt_id=attempt.id, body=body)
    return RedirectResponse(f"/coach/{owner.id}/attempts/{attempt.id}#comments", status_code=303)
