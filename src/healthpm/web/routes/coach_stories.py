"""A coach's read-only views of a candidate's stories and job matches, when shared."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from healthpm.accounts import sharing
from healthpm.jobs import service as jobs
from healthpm.stories import service as stories
from healthpm.web.deps import CatalogDep, CurrentCoach, ObjectId, SessionDep
from healthpm.web.rendering import render
from healthpm.web.routes import jobs as job_pages
from healthpm.web.routes import stories as story_pages

router = APIRouter(include_in_schema=False)
KIND = "stories"


@router.get("/coach/{owner_id}/stories", response_class=HTMLResponse)
def coach_stories(
    request: Request,
    owner_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind=KIND)
    context = story_pages.list_context(session, owner, catalog) | {
        "owner_label": owner.name or owner.email,
        "base": f"/coach/{owner.id}",
        "form": {},
    }
    return render(request, "stories/list.html", context)


@router.get("/coach/{owner_id}/stories/{story_id}", response_class=HTMLResponse)
def coach_story(
    request: Request,
    owner_id: ObjectId,
    story_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind=KIND)
    row = stories.get_story(session, user_id=owner.id, story_id=story_id)
    context = story_pages.detail_context(row, catalog) | {
        "editable": False,
        "back_href": f"/coach/{owner.id}/stories",
    }
    return render(request, "stories/story.html", context)


@router.get("/coach/{owner_id}/jobs", response_class=HTMLResponse)
def coach_jobs(
    request: Request, owner_id: ObjectId, session: SessionDep, coach: CurrentCoach
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind=KIND)
    context = job_pages.list_context(session, owner) | {
        "owner_label": owner.name or owner.email,
        "base": f"/coach/{owner.id}",
    }
    return render(request, "jobs/index.html", context)


@router.get("/coach/{owner_id}/jobs/{match_id}", response_class=HTMLResponse)
def coach_job(
    request: Request,
    owner_id: ObjectId,
    match_id: ObjectId,
    session: SessionDep,
    coach: CurrentCoach,
    catalog: CatalogDep,
) -> HTMLResponse:
    owner = sharing.shared_owner(session, coach=coach, owner_id=owner_id, kind=KIND)
    row = jobs.get_match(session, user_id=owner.id, match_id=match_id)
    context = {
        "m": jobs.row_dict(row),
        "catalog": catalog,
        "editable": False,
        "back_href": f"/coach/{owner.id}/jobs",
    }
    return render(request, "jobs/match.html", context)
