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
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.navigator.service import current_profile
from healthpm.practice import service as practice
from healthpm.practice.models import Attempt
from healthpm.practice.stats import question_stats
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


def trend_points(
    session: Session, user_id: int, profile_name: str | None = None
) -> list[ScorePoint]:
    """The user's (or one profile's) newest TREND_ATTEMPTS overall scores, oldest first."""
    rows = practice.score_trend(
        session, user_id=user_id, limit=TREND_ATTEMPTS, profile_name=profile_name
    )
    return [ScorePoint(when.date(), overall) for when, overall in rows]


def trend_chart(points: list[ScorePoint], renderer: SvgRenderer) -> str | None:
    """The score trend as SVG; None until there are two points to join."""
    return score_trend_chart(points, renderer=renderer) if len(points) > 1 else None


def profile_name(session: Session, user: User, catalog: Catalog) -> str | None:
    """The current profile's name: practice history is kept per profile."""
    profile = current_profile(session, user=user, catalog=catalog)
    return None if profile is None else profile.name


def practice_context(
    session: Session, user: User, catalog: Catalog, question_id: str | None, find: str = ""
) -> dict[str, Any]:
    """The question to answer (chosen, else the first due one), the queue and the search."""
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
        "find": find,
        "matches": search_questions(catalog, find) if find.strip() else [],
        "stats": question_stats(
            session, user_id=user.id, profile_name=None if profile is None else profile.name
        ),
    }


def search_questions(catalog: Catalog, find: str, limit: int = 25) -> list[Any]:
    """Bank questions whose prompt, talking points or category match the words typed."""
    words = find.lower().split()
    found = []
    for q in catalog.questions.values():
        text = " ".join([q.prompt, q.category, *q.talking_points]).lower()
        if all(w in text for w in words):
            found.append(q)
    return found[:limit]


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
    find: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    context = practice_context(session, user, catalog, question_id or None, find)
    context["warm"] = getattr(request.app.state.engine, "is_warm", True)
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
    name = profile_name(session, user, catalog)
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
            profile_name=name,
        )
    except practice.PhiFoundError as exc:
        context = practice_context(session, user, catalog, question_id or None)
        context |= {"answer": answer, "phi_warnings": exc.warnings, "question_text": question_text}
        return render(request, "practice/practice.html", context, status_code=400)
    except NotFoundError:
        raise
    except InvalidInputError as exc:
        # Same page, same question, the answer kept, the error beside the answer box.
        context = practice_context(session, user, catalog, question_id or None)
        context |= {"answer": answer, "question_text": question_text, "answer_error": _plain(exc)}
        return render(request, "practice/practice.html", context, status_code=400)
    # The trend changed: start drawing it now, so the dashboard after this answer need not wait.
    prefetch_score_trend(trend_points(session, user.id, name), renderer=charts)
    return RedirectResponse(f"/practice/attempts/{attempt.id}", status_code=303)


def _plain(exc: InvalidInputError) -> str:
    text = str(exc)
    if "empty" in text:
        return "Write your answer first: the box is empty (spaces alone do not count)."
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


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
    from healthpm.web.routes.coach_review import review_context  # it imports this module

    attempt = practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
    context = review_context(session, attempt, catalog, user) | {"active": "practice"}
    return render(request, "practice/attempt.html", context)


def history_context(
    session: Session, owner: User, renderer: SvgRenderer, name: str | None = None
) -> dict[str, Any]:
    """Attempts and trend of the owner (of one profile when `name` is given)."""
    from healthpm.coaching.review import unread_for_candidate

    attempts = practice.list_attempts(
        session, user_id=owner.id, limit=HISTORY_LIMIT, profile_name=name
    )
    chart = trend_chart(trend_points(session, owner.id, name), renderer)
    return {
        "attempts": attempts,
        "chart": chart,
        "profile_name": name,
        "unread": unread_for_candidate(session, user_id=owner.id),
    }


@router.get("/practice/history", response_class=HTMLResponse)
def history_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    charts: ChartsDep,
    catalog: CatalogDep,
) -> HTMLResponse:
    from healthpm.practice import earlier

    name = profile_name(session, user, catalog)
    context = history_context(session, user, charts, name)
    context |= {"active": "practice", "base": "/practice", "catalog": catalog}
    if name is not None:
        context["earlier"] = earlier.earlier_attempts(session, user_id=user.id)
        context["earlier_count"] = earlier.count_earlier(session, user_id=user.id)
        context["profile_names"] = earlier.profile_names(session, user_id=user.id)
        context["moved"] = request.query_params.get("moved")
    return render(request, "practice/history.html", context)


@router.post("/practice/history/claim")
def claim_earlier(
    session: SessionDep, user: CurrentUser, profile: Annotated[str, Form()]
) -> Response:
    """Move every answer from before profiles to the chosen profile (one click)."""
    from healthpm.practice import earlier

    moved = earlier.claim_earlier(session, user_id=user.id, profile_name=profile)
    return RedirectResponse(f"/practice/history?moved={moved}", status_code=303)
