"""Story bank pages: write a story (STAR parts or free text), see what it proves, edit, delete;
the gaps for your target level, which can go into the plan."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.stories.gaps import Gap
from healthpm.domain.stories.star import PARTS, StoryText, parse_story
from healthpm.domain.stories.tagging import StoryTagger, Tagger
from healthpm.errors import InvalidInputError
from healthpm.navigator.extra_tasks import GapTask, add_gap_tasks
from healthpm.navigator.service import current_profile
from healthpm.practice.service import PhiFoundError
from healthpm.stories import service
from healthpm.web.deps import CatalogDep, CurrentUser, EngineDep, ObjectId, SessionDep
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)
_TAGGER_LOCK = threading.Lock()

Text = Annotated[str, Form(max_length=8000)]


def get_tagger(request: Request, catalog: Catalog, engine: Any) -> Tagger:
    """The scoring worker when the engine runs in one (`healthpm serve`), else the app's
    own tagger, built on first use."""
    if callable(getattr(engine, "tag", None)):
        worker: Tagger = engine
        return worker
    with _TAGGER_LOCK:
        tagger: StoryTagger | None = getattr(request.app.state, "story_tagger", None)
        if tagger is None:
            from healthpm.embeddings import load_encoder

            tagger = StoryTagger(catalog, load_encoder())
            request.app.state.story_tagger = tagger
        return tagger


def list_context(session: Session, owner: User, catalog: Catalog) -> dict[str, Any]:
    """The owner's stories, and the gaps for the owner's current target level."""
    rows = service.list_stories(session, user_id=owner.id)
    profile = current_profile(session, user=owner, catalog=catalog)
    gaps: list[Gap] = []
    proven: list[str] = []
    if profile is not None:
        gaps, proven = service.gaps_for(
            session, user_id=owner.id, catalog=catalog, level=profile.target_level
        )
    return {
        "stories": [service.story_dict(r) for r in rows],
        "profile": profile,
        "gaps": gaps,
        "proven": proven,
        "catalog": catalog,
    }


def _form_story(
    title: str, background: str, free_text: str, parts: dict[str, str], catalog: Catalog
) -> StoryText:
    if background and background not in catalog.backgrounds:
        raise InvalidInputError(f"unknown background {background!r}")
    if free_text.strip() and not any(v.strip() for v in parts.values()):
        story = parse_story(free_text, title=title.strip() or None)
    else:
        story = StoryText.of(title.strip() or "Untitled story", parts)
    return replace(story, background=background or None)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> HTMLResponse:
    context = list_context(session, user, catalog) | {"active": "stories", "form": {}}
    return render(request, "stories/list.html", context)


def _save(
    request: Request,
    session: Session,
    user: User,
    catalog: Catalog,
    engine: Any,
    story: StoryText,
    phi: str,
    row_id: int | None,
) -> Response:
    choice: Literal["redact", "keep"] | None = (
        "redact" if phi == "redact" else ("keep" if phi == "keep" else None)
    )
    story, redacted = service.guard_phi(story, phi_choice=choice)
    analysis = service.analyse(
        story, tagger=get_tagger(request, catalog, engine), engine=engine, catalog=catalog
    )
    if row_id is None:
        row = service.add_story(
            session, user_id=user.id, story=story, analysis=analysis, redacted=redacted
        )
    else:
        row = service.get_story(session, user_id=user.id, story_id=row_id)
        service.update_story(session, row=row, story=story, analysis=analysis, redacted=redacted)
    return RedirectResponse(f"/stories/{row.id}", status_code=303)


@router.post("/stories", response_model=None)
def add_story(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    title: Annotated[str, Form(max_length=200)] = "",
    background: Annotated[str, Form(max_length=64)] = "",
    free_text: Text = "",
    situation: Text = "",
    task: Text = "",
    action: Text = "",
    result: Text = "",
    phi: Annotated[Literal["", "redact", "keep"], Form()] = "",
) -> Response:
    """Store a new story; PHI asks first, like practice answers."""
    parts = {"situation": situation, "task": task, "action": action, "result": result}
    form = {"title": title, "background": background, "free_text": free_text, **parts}
    try:
        story = _form_story(title, background, free_text, parts, catalog)
        return _save(request, session, user, catalog, engine, story, phi, None)
    except PhiFoundError as exc:
        context = list_context(session, user, catalog) | {
            "active": "stories",
            "form": form,
            "phi_warnings": exc.warnings,
        }
        return render(request, "stories/list.html", context, status_code=400)


def detail_context(row: Any, catalog: Catalog) -> dict[str, Any]:
    return {"story": service.story_dict(row, full=True), "catalog": catalog, "parts": PARTS}


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
) -> HTMLResponse:
    row = service.get_story(session, user_id=user.id, story_id=story_id)
    context = detail_context(row, catalog) | {"active": "stories", "editable": True}
    return render(request, "stories/story.html", context)


@router.post("/stories/{story_id}", response_model=None)
def edit_story(
    request: Request,
    story_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    title: Annotated[str, Form(max_length=200)] = "",
    situation: Text = "",
    task: Text = "",
    action: Text = "",
    result: Text = "",
    phi: Annotated[Literal["", "redact", "keep"], Form()] = "",
) -> Response:
    """Replace the parts; the story is tagged and scored again."""
    row = service.get_story(session, user_id=user.id, story_id=story_id)
    parts = {"situation": situation, "task": task, "action": action, "result": result}
    story = StoryText.of(title.strip() or row.title, parts, background=row.background)
    try:
        return _save(request, session, user, catalog, engine, story, phi, row.id)
    except PhiFoundError as exc:
        context = detail_context(row, catalog) | {
            "active": "stories",
            "editable": True,
            "phi_warnings": exc.warnings,
            "story": {**service.story_dict(row, full=True), **parts, "title": story.title},
        }
        return render(request, "stories/story.html", context, status_code=400)


@router.post("/stories/{story_id}/delete")
def delete_story(story_id: ObjectId, session: SessionDep, user: CurrentUser) -> Response:
    service.delete_story(session, user_id=user.id, story_id=story_id)
    return RedirectResponse("/stories", status_code=303)


@router.post("/stories-gaps/plan")
def gaps_to_plan(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Response:
    """Add a plan task per story gap of the current profile's target level."""
    profile = current_profile(session, user=user, catalog=catalog)
    if profile is None:
        raise InvalidInputError("set up your profile first: the gaps depend on your target level")
    gaps, _ = service.gaps_for(
        session, user_id=user.id, catalog=catalog, level=profile.target_level
    )
    tasks = [GapTask(g.competency, f"Story to write ({g.name}): {g.suggestion}") for g in gaps]
    add_gap_tasks(session, user=user, source="story-gaps", gaps=tasks)
    return RedirectResponse("/plan", status_code=303)
