"""Mock interview: pick length and focus, answer the questions against the clock, end report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.db import get_by_id
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.labels import label
from healthpm.errors import NotFoundError
from healthpm.navigator.service import current_profile
from healthpm.practice import mock as mocks
from healthpm.practice import service as practice
from healthpm.practice.models import Attempt, MockSession
from healthpm.practice.scheduling import aware
from healthpm.web.deps import CatalogDep, CurrentUser, EngineDep, ObjectId, SessionDep
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)


def own_mock(session: Session, user: User, mock_id: ObjectId) -> MockSession:
    """The user's mock session, or 404 (also for someone else's)."""
    mock = get_by_id(session, MockSession, mock_id)
    if mock is None or mock.user_id != user.id:
        raise NotFoundError(f"no mock interview {mock_id}")
    return mock


@router.get("/mock", response_class=HTMLResponse)
def mock_start_page(request: Request, user: CurrentUser, catalog: CatalogDep) -> HTMLResponse:
    context = {
        "active": "mock",
        "levels": catalog.levels_ascending(),
        "categories": sorted({q.category for q in catalog.questions.values()}, key=label),
    }
    return render(request, "practice/mock_start.html", context)


@router.post("/mock")
def mock_start(
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    minutes: Annotated[int, Form(ge=1, le=mocks.MAX_MINUTES)] = 20,
    level: Annotated[str, Form(max_length=64)] = "",
    category: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    profile = current_profile(session, user=user, catalog=catalog)
    mock = mocks.start_mock(
        session,
        catalog=catalog,
        user_id=user.id,
        minutes=minutes,
        level=level or None,
        category=category or None,
        profile=profile,
    )
    return RedirectResponse(f"/mock/{mock.id}", status_code=303)


def seconds_left(mock: MockSession, now: datetime | None = None) -> int:
    """Seconds left of the mock's total time (negative once it is over)."""
    started = aware(mock.started_at)
    end = started + timedelta(minutes=mock.minutes)
    return int((end - (now or datetime.now(UTC))).total_seconds())


def _answers(session: Session, mock: MockSession) -> list[Attempt]:
    return list(
        session.scalars(select(Attempt).where(Attempt.mock_id == mock.id).order_by(Attempt.id))
    )


@router.get("/mock/{mock_id}", response_class=HTMLResponse)
def mock_page(
    request: Request, mock_id: ObjectId, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> HTMLResponse:
    """The next unanswered question with the remaining time, or the end report."""
    mock = own_mock(session, user, mock_id)
    left = seconds_left(mock)
    if mock.ended_at is None and left <= 0:
        mocks.finish_mock(session, mock=mock)  # time is up: the report shows what was answered
    answers = _answers(session, mock)
    answered = {a.question_id for a in answers}
    pending = [q for q in mock.question_ids if q not in answered]
    context: dict[str, Any] = {
        "active": "mock",
        "mock": mock,
        "answers": answers,
        "catalog": catalog,
        "question": catalog.questions.get(pending[0]) if pending and not mock.ended_at else None,
        "position": len(mock.question_ids) - len(pending) + 1,
        "seconds_left": max(0, left),
        "time_up": left <= 0,
        "feedback": {a.id: Feedback.model_validate(a.feedback) for a in answers},
    }
    return render(request, "practice/mock.html", context)


@router.post("/mock/{mock_id}/answer")
def mock_answer(
    mock_id: ObjectId,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    question_id: Annotated[str, Form(max_length=100)],
    answer: Annotated[str, Form(max_length=60_000)] = "",
    time_taken_s: Annotated[float | None, Form(ge=0, le=86_400)] = None,
    time_up: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Score one answer under the mock; a mock stores answers redacted when PHI shows up.

    At time-up the page sends what was typed: scored if there is any, then the mock ends."""
    mock = own_mock(session, user, mock_id)
    if mock.ended_at is not None or question_id not in mock.question_ids:
        raise NotFoundError(f"question {question_id!r} is not open in mock interview {mock_id}")
    if not answer.strip():
        if time_up or seconds_left(mock) <= 0:
            mocks.finish_mock(session, mock=mock)
            return RedirectResponse(f"/mock/{mock.id}#report", status_code=303)
        return RedirectResponse(f"/mock/{mock.id}?empty=1", status_code=303)
    practice.record_attempt(
        session,
        engine=engine,
        catalog=catalog,
        user_id=user.id,
        answer=answer,
        question_id=question_id,
        phi_choice="redact",
        time_taken_s=time_taken_s,
        mock_id=mock.id,
        profile_name=getattr(current_profile(session, user=user, catalog=catalog), "name", None),
    )
    if time_up or seconds_left(mock) <= 0:
        mocks.finish_mock(session, mock=mock)
        return RedirectResponse(f"/mock/{mock.id}#report", status_code=303)
    return RedirectResponse(f"/mock/{mock.id}", status_code=303)


@router.post("/mock/{mock_id}/finish")
def mock_finish(mock_id: ObjectId, session: SessionDep, user: CurrentUser) -> Response:
    mock = own_mock(session, user, mock_id)
    if mock.ended_at is None:
        mocks.finish_mock(session, mock=mock)
    return RedirectResponse(f"/mock/{mock.id}#report", status_code=303)
