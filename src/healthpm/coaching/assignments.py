"""Questions or mock interviews a coach sets for one candidate or for the whole cohort.

An assignment counts as done once the candidate answers that question (or finishes a mock
interview) after it was set; nothing else has to be ticked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.coaching.models import ASSIGNMENT_KINDS, Assignment
from healthpm.coaching.roster import active_kinds
from healthpm.db import get_by_id
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice.models import Attempt, MockSession


@dataclass(frozen=True)
class AssignmentView:
    assignment: Assignment
    candidate: User
    coach: User
    done_at: datetime | None


def _targets(session: Session, *, coach: User, candidate_id: int | None) -> list[int]:
    """The candidate, or everyone sharing anything with the coach (the coach's cohort)."""
    sharing = active_kinds(session, coach=coach)
    if candidate_id is None:
        if not sharing:
            raise InvalidInputError("no candidate shares anything with you yet")
        return sorted(sharing)
    if candidate_id not in sharing:
        raise NotFoundError(f"no candidate {candidate_id} shares anything with you")
    return [candidate_id]


def assign(
    session: Session,
    *,
    coach: User,
    catalog: Catalog,
    candidate_id: int | None,
    kind: str,
    question_id: str | None = None,
    minutes: int | None = None,
    note: str = "",
    due_on: date | None = None,
) -> list[Assignment]:
    """One assignment per target candidate (candidate_id None: the whole cohort)."""
    if kind not in ASSIGNMENT_KINDS:
        raise InvalidInputError(f"kind must be one of {', '.join(ASSIGNMENT_KINDS)}")
    if kind == "question" and (not question_id or question_id not in catalog.questions):
        raise InvalidInputError("pick a question from the bank to assign")
    if kind == "mock" and minutes not in (15, 30, 45, 60):
        raise InvalidInputError("a mock interview lasts 15, 30, 45 or 60 minutes")
    made = []
    for user_id in _targets(session, coach=coach, candidate_id=candidate_id):
        item = Assignment(
            coach_id=coach.id,
            user_id=user_id,
            kind=kind,
            question_id=question_id if kind == "question" else None,
            minutes=minutes if kind == "mock" else None,
            note=note.strip()[:500],
            due_on=due_on,
        )
        session.add(item)
        made.append(item)
    session.flush()
    return made


def _done_at(session: Session, item: Assignment) -> datetime | None:
    if item.kind == "question":
        return session.scalar(
            select(Attempt.created_at)
            .where(
                Attempt.user_id == item.user_id,
                Attempt.question_id == item.question_id,
                Attempt.created_at >= item.created_at,
            )
            .order_by(Attempt.created_at)
            .limit(1)
        )
    return session.scalar(
        select(MockSession.ended_at)
        .where(
            MockSession.user_id == item.user_id,
            MockSession.ended_at.is_not(None),
            MockSession.started_at >= item.created_at,
        )
        .order_by(MockSession.ended_at)
        .limit(1)
    )


def _views(session: Session, rows: list[Assignment]) -> list[AssignmentView]:
    ids = {r.user_id for r in rows} | {r.coach_id for r in rows}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    return [
        AssignmentView(r, users[r.user_id], users[r.coach_id], _done_at(session, r)) for r in rows
    ]


def set_by(session: Session, *, coach: User) -> list[AssignmentView]:
    """What this coach assigned, newest first."""
    rows = session.scalars(
        select(Assignment).where(Assignment.coach_id == coach.id).order_by(Assignment.id.desc())
    ).all()
    return _views(session, list(rows))


def for_candidate(session: Session, *, user: User) -> list[AssignmentView]:
    """What coaches assigned to this candidate, newest first."""
    rows = session.scalars(
        select(Assignment).where(Assignment.user_id == user.id).order_by(Assignment.id.desc())
    ).all()
    return _views(session, list(rows))


def withdraw(session: Session, *, coach: User, assignment_id: int) -> None:
    """Delete one of the coach's assignments."""
    item = get_by_id(session, Assignment, assignment_id)
    if item is None or item.coach_id != coach.id:
        raise NotFoundError(f"no assignment {assignment_id} of yours")
    session.delete(item)
    session.flush()
