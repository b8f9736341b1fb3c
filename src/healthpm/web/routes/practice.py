"""Practice: pick or get a due question, answer it (timed), see feedback; history."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts import sharing
from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.stories.tagging import QUESTION_CATEGORIES
from healthpm.navigator.service import current_profile
from healthpm.practice import service as practice
from healthpm.practice.models import Attempt
from healthpm.web.charts import ScorePoint, SvgRenderer, prefetch_score_trend, score_trend_chart
from healthpm.web.deps import (
    CatalogDep,
    ChartsDep,
    CurrentUser,
    EngineDep,
    ObjectId,
    SessionDep,
)
from healthpm.web.highlight import highlight_answer
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)

HISTORY_LIMIT = 100
#: The dashboard and the history page draw the same trend, so one render serves both.
TREND_ATTEMPTS = 50


def trend_points(session: Session, user_id: int) -> list[ScorePoint]:
    """The user's newest TREND_ATTEMPTS overall scores, oldest first."""
    rows = practice.score_trend(session, user_id=user_id, limit=TREND_ATTEMPTS)
    return [ScorePoint(when.date(), overall) for when, overall in rows]


def trend_chart(points: list[ScorePoint], renderer: SvgRenderer) -> str | None:
    """The score trend as SVG; None until there are two points to join."""
    return score_trend_chart(points, renderer=renderer) if len(points) > 1 else None


def practice_context(
    session: Session, user: User, catalog: Catalog, question_id: str | None
) -> dict[str, Any]:
    """The question to answer (chosen, else the first due one) and the chooser's options."""
    profile = current_profile(session, user=user, catalog=catalog)
    due = practice.due_questions(
        session, catalog=catalog, user_id=user.id, limit=8, profile=profile
    )
    chosen = question_id or (due[0].question_id if due else next(iter(catalog.questions), None))
    question = catalog.get("questions", chosen) if chosen else None
    return {
        "stories": matching_stories(session, user, question),
        "active": "practice",
        "question": question,
        "due": due,
        "catalog": catalog,
        "answer": "",
        "phi_warnings": None,
        "question_text": "",
    }


def matching_stories(session: Session, user: User, question: Any) -> list[dict[str, Any]]:
    """The user's stories that answer this behavioral or career-transition question."""
    if question is None or question.category not in QUESTION_CATEGORIES:
        return []
    from healthpm.stories import service as stories

    rows = stories.list_stories(session, user_id=user.id, question_id=question.id)
    return [stories.story_dict(r) for r in rows]


@router.get("/practice", response_class=HTMLResponse)
def practice_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    question_id: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    context = practice_context(session, user, catalog, question_id or None)
    return render(request, "practice/practice.html", context)


@router.post("/practice", response_model=None)
def submit_answer(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    charts: ChartsDep,
    answer: Annotated[str, Form(max_length=60_000)],
    question_id: Annotated[str, Form(max_length=100)] = "",
    question_text: Annotated[str, Form(max_length=2000)] = "",
    phi: Annotated[Literal["", "redact", "keep"], Form()] = "",
    time_taken_s: Annotated[float | None, Form(ge=0, le=86_400)] = None,
) -> Response:
    """Score and store the answer, then show its feedback; PHI asks the user first."""
    try:
        attempt = practice.record_attempt(
            session,
            engine=engine,
            catalog=catalog,
            user_id=user.id,
            answer=answer,
            question_id=question_id or None,
            question_text=None if question_id else question_text,
            phi_choice=phi or None,
            time_taken_s=time_taken_s,
        )
    except practice.PhiFoundError as exc:
        context = practice_context(session, user, catalog, question_id or None)
        context |= {"answer": answer, "phi_warnings": exc.warnings, "question_text": question_text}
        return render(request, "practice/practice.html", context, status_code=400)
    # The trend changed: start drawing it now, so the dashboard after this answer need not wait.
    prefetch_score_trend(trend_points(session, user.id), renderer=charts)
    return RedirectResponse(f"/practice/attempts/{attempt.id}", status_code=303)


def attempt_context(
    session: Session, attempt: Attempt, catalog: Catalog, viewer: User
) -> dict[str, Any]:
    """Feedback, the answer with evidence marked, the bank question and coach comments."""
    feedback = Feedback.model_validate(attempt.feedback)
    question = catalog.questions.get(attempt.question_id) if attempt.question_id else None
    return {
        "attempt": attempt,
        "feedback": feedback,
        "highlighted": highlight_answer(attempt.answer, feedback.flags),
        "question": question,
        "catalog": catalog,
        "comments": sharing.comments_on(session, owner_id=attempt.user_id, attempt_id=attempt.id),
        "is_owner": viewer.id == attempt.user_id,
    }


@router.get("/practice/attempts/{attempt_id}", response_class=HTMLResponse)
def attempt_page(
    request: Request,
    attempt_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
) -> HTMLResponse:
    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    context = attempt_context(session, attempt, catalog, user) | {"active": "practice"}
    return render(request, "practice/attempt.html", context)


def history_context(session: Session, owner: User, renderer: SvgRenderer) -> dict[str, Any]:
    attempts = practice.list_attempts(session, user_id=owner.id, limit=HISTORY_LIMIT)
    return {"attempts": attempts, "chart": trend_chart(trend_points(session, owner.id), renderer)}


@router.get("/practice/history", response_class=HTMLResponse)
def history_page(
    request: Request, session: SessionDep, user: CurrentUser, charts: ChartsDep
) -> HTMLResponse:
    context = history_context(session, user, charts) | {"active": "practice", "base": "/practice"}
    return render(request, "practice/history.html", context)
