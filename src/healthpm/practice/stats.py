"""Per-question practice statistics for a user: attempts, best score, last practised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.practice.models import Attempt
from healthpm.practice.service import of_profile


@dataclass(frozen=True)
class QuestionStats:
    attempts: int
    best: float
    last_at: datetime


def question_stats(
    session: Session, *, user_id: int, profile_name: str | None = None
) -> dict[str, QuestionStats]:
    """By bank question id: how often answered, the best overall score, when last answered
    (by one profile, when named: its answers and those stored without a profile)."""
    rows = session.execute(
        select(
            Attempt.question_id,
            func.count(),
            func.max(Attempt.overall),
            func.max(Attempt.created_at),
        )
        .where(
            Attempt.user_id == user_id,
            Attempt.question_id.is_not(None),
            of_profile(profile_name),
        )
        .group_by(Attempt.question_id)
    ).all()
    return {str(q): QuestionStats(int(n), float(best), last) for q, n, best, last in rows}
