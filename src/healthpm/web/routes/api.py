"""JSON API under /api: catalog, profile, assessment, plan and progress (the page services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from healthpm.domain.assessment import assess, assessment_json
from healthpm.domain.profile import validate_profile
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.web.deps import CatalogDep, CurrentUser, SessionDep
from healthpm.web.routes import api_practice

router = APIRouter(prefix="/api", tags=["api"])
router.include_router(api_practice.router)


class TaskDone(BaseModel):
    done: bool = True


class HoursCreate(BaseModel):
    hours: float = Field(gt=0, le=24)
    on: date
    task_key: str | None = Field(None, max_length=64)
    note: str = Field("", max_length=500)


class HoursRead(BaseModel):
    id: int
    hours: float
    on: date
    task_key: str | None
    track: str | None


class UserRead(BaseModel):
    id: int
    email: str
    name: str
    role: str
    is_admin: bool = False


@router.get("/me", summary="Who you are signed in as")
def me(user: CurrentUser) -> UserRead:
    return UserRead(
        id=user.id, email=user.email, name=user.name, role=user.role, is_admin=user.is_admin
    )


@router.get("/levels", summary="Levels, ascending")
def levels(catalog: CatalogDep) -> list[dict[str, Any]]:
    return [lv.model_dump(mode="json") for lv in catalog.levels_ascending()]


@router.get("/salaries", summary="Published salary bands, each with its source and year")
def salaries(catalog: CatalogDep) -> list[dict[str, Any]]:
    return [band.model_dump(mode="json") for band in catalog.salaries.values()]


@router.get("/glossary", summary="Glossary terms")
def glossary(catalog: CatalogDep) -> list[dict[str, Any]]:
    return [term.model_dump(mode="json") for term in catalog.glossary.values()]


@router.get("/questions", summary="The question bank")
def questions(catalog: CatalogDep) -> list[dict[str, Any]]:
    return [q.model_dump(mode="json") for q in catalog.questions.values()]


@router.get("/questions/{question_id}", summary="One question with its model answer")
def question(question_id: str, catalog: CatalogDep) -> dict[str, Any]:
    result: dict[str, Any] = catalog.get("questions", question_id).model_dump(mode="json")
    return result


def _profile_or_404(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Any:
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        raise NotFoundError("no profile yet: PUT /api/profile first")
    return profile


@router.get("/profile", summary="Your current profile")
def get_profile(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> dict[str, Any]:
    result: dict[str, Any] = _profile_or_404(session, user, catalog).model_dump(mode="json")
    return result


@router.put("/profile", summary="Save your profile (validated against the knowledge base)")
def put_profile(
    data: dict[str, Any], session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> dict[str, Any]:
    profile = validate_profile(data, catalog, origin="profile")
    navigator.save_profile(session, user=user, profile=profile)
    result: dict[str, Any] = profile.model_dump(mode="json")
    return result


@router.get("/assessment", summary="Placement, readiness per level, gaps and strengths")
def get_assessment(
    session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> dict[str, object]:
    return assessment_json(assess(_profile_or_404(session, user, catalog), catalog))


@router.get("/plan", summary="Your current plan")
def get_plan(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return navigator.current_plan(session, user=user)


@router.post("/plan", summary="Re-plan from your current profile (done tasks are kept)")
def post_plan(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> dict[str, Any]:
    profile = _profile_or_404(session, user, catalog)
    navigator.make_plan(session, user=user, profile=profile, catalog=catalog)
    return navigator.current_plan(session, user=user)


@router.put("/plan/tasks/{task_key}", summary="Tick or untick a task of your plan")
def put_task(
    task_key: str, body: TaskDone, session: SessionDep, user: CurrentUser
) -> dict[str, Any]:
    task = navigator.set_task_done(session, user=user, task_key=task_key, done=body.done)
    parts = navigator.task_parts(navigator.current_plan(session, user=user), task_key)
    return {**task, "done": body.done, "weeks": [index for index, _row in parts]}


@router.post("/plan/hours", summary="Log hours spent", status_code=201)
def post_hours(body: HoursCreate, session: SessionDep, user: CurrentUser) -> HoursRead:
    entry = navigator.log_hours(
        session, user=user, hours=body.hours, on=body.on, task_key=body.task_key, note=body.note
    )
    return HoursRead(
        id=entry.id,
        hours=entry.hours,
        on=entry.logged_on,
        task_key=entry.task_key,
        track=entry.track,
    )


@router.get("/progress", summary="Planned, done and logged hours per track")
def get_progress(session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [
        {
            "track": t.track,
            "planned_hours": t.planned_hours,
            "done_hours": t.done_hours,
            "logged_hours": t.logged_hours,
            "tasks_done": t.tasks_done,
            "tasks_total": t.tasks_total,
            "percent": t.percent,
        }
        for t in navigator.progress(session, user=user)
    ]
