"""JSON API for practice: scoring, attempts, the due queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from healthpm.domain.feedback.schema import Feedback
from healthpm.practice import service as practice
from healthpm.practice.earlier import current_profile_name
from healthpm.practice.models import Attempt
from healthpm.web.deps import CatalogDep, CurrentUser, EngineDep, ObjectId, SessionDep

router = APIRouter(prefix="/practice")


class AnswerIn(BaseModel):
    answer: str = Field(min_length=1, max_length=60_000)
    question_id: str | None = Field(None, max_length=100)
    question: str | None = Field(None, max_length=2000, description="free-text question")
    phi: Literal["redact", "keep"] | None = Field(
        None, description="what to do when the answer seems to hold PHI; unset: refuse (400)"
    )
    time_taken_s: float | None = Field(None, ge=0, le=86_400)


class AttemptRead(BaseModel):
    id: int
    question_id: str | None
    question_text: str
    answer: str
    overall: float
    feedback: dict[str, Any]
    redacted: bool
    time_taken_s: float | None
    created_at: datetime

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptRead:
        return cls.model_validate(attempt, from_attributes=True)


@router.post("/score", summary="Score an answer without storing it (the feedback contract)")
def score(body: AnswerIn, engine: EngineDep, catalog: CatalogDep) -> Feedback:
    scored = practice.score_answer(
        engine,
        catalog,
        answer=body.answer,
        question_id=body.question_id,
        question_text=body.question if body.question_id is None else None,
        phi_choice=body.phi,
    )
    return scored.feedback


@router.post("/attempts", summary="Score an answer and store the attempt", status_code=201)
def create_attempt(
    body: AnswerIn, session: SessionDep, user: CurrentUser, engine: EngineDep, catalog: CatalogDep
) -> AttemptRead:
    attempt = practice.record_attempt(
        session,
        engine=engine,
        catalog=catalog,
        user_id=user.id,
        answer=body.answer,
        question_id=body.question_id,
        question_text=body.question if body.question_id is None else None,
        phi_choice=body.phi,
        time_taken_s=body.time_taken_s,
        profile_name=current_profile_name(session, user_id=user.id),
    )
    return AttemptRead.of(attempt)


@router.get("/attempts", summary="Your attempts, newest first")
def list_attempts(
    session: SessionDep, user: CurrentUser, limit: int = Query(20, ge=1, le=500)
) -> list[AttemptRead]:
    return [
        AttemptRead.of(a) for a in practice.list_attempts(session, user_id=user.id, limit=limit)
    ]


@router.get("/attempts/{attempt_id}", summary="One of your attempts")
def get_attempt(attempt_id: ObjectId, session: SessionDep, user: CurrentUser) -> AttemptRead:
    return AttemptRead.of(practice.get_attempt(session, user_id=user.id, attempt_id=attempt_id))


@router.get("/due", summary="Questions due for review, then new ones")
def due(
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    limit: int = Query(10, ge=1, le=100),
) -> list[dict[str, Any]]:
    from healthpm.navigator.service import current_profile

    profile = current_profile(session, user=user, catalog=catalog)
    items = practice.due_questions(
        session, catalog=catalog, user_id=user.id, limit=limit, profile=profile
    )
    return [
        {
            "question_id": i.question_id,
            "category": i.category,
            "reason": i.reason,
            "due_at": i.due_at.isoformat() if i.due_at else None,
        }
        for i in items
    ]
