"""Across the cohort: red-flag frequency, weakest rubric dimensions, most-failed questions.

Only candidates who share their practice with the coach are counted: sharing is their
consent to the coach reading those answers, and nothing here reaches anyone else.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.coaching.roster import active_kinds
from healthpm.domain.feedback.schema import DIMENSIONS
from healthpm.practice.models import Attempt

#: An answer scored below this overall counts as failed.
FAIL_BELOW = 3.0


@dataclass(frozen=True)
class FlagCount:
    flag: str
    attempts: int
    candidates: int


@dataclass(frozen=True)
class QuestionCount:
    question_id: str
    attempts: int
    failed: int
    average: float


@dataclass(frozen=True)
class CohortAnalytics:
    """Candidates (id, label) x dimensions mean scores, and the cohort-wide tallies."""

    candidates: list[tuple[int, str]]
    #: candidate id -> dimension -> mean score (1-5) over their answers.
    heat: dict[int, dict[str, float]]
    dimension_means: list[tuple[str, float]]
    flags: list[FlagCount]
    questions: list[QuestionCount]
    attempts: int


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


def cohort_analytics(session: Session, *, coach: User) -> CohortAnalytics:
    """Aggregate the answers of the candidates sharing practice with this coach."""
    ids = [uid for uid, kinds in active_kinds(session, coach=coach).items() if "practice" in kinds]
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    rows = session.execute(
        select(Attempt.user_id, Attempt.question_id, Attempt.overall, Attempt.feedback).where(
            Attempt.user_id.in_(ids)
        )
    ).all()
    per_dim: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    flag_attempts: Counter[str] = Counter()
    flag_people: dict[str, set[int]] = defaultdict(set)
    questions: dict[str, list[float]] = defaultdict(list)
    for user_id, question_id, overall, feedback in rows:
        for dim, value in feedback.get("dimensions", {}).items():
            per_dim[user_id][dim].append(float(value))
        for flag in {f["id"] for f in feedback.get("flags", [])}:
            flag_attempts[flag] += 1
            flag_people[flag].add(user_id)
        if question_id:
            questions[question_id].append(overall)
    heat = {uid: {d: _mean(v) for d, v in dims.items() if v} for uid, dims in per_dim.items()}
    means = []
    for dim in DIMENSIONS:
        values = [heat[uid][dim] for uid in heat if dim in heat[uid]]
        if values:
            means.append((dim, _mean(values)))
    failed = [
        QuestionCount(q, len(v), sum(1 for s in v if s < FAIL_BELOW), _mean(v))
        for q, v in questions.items()
    ]
    labelled = sorted(
        ((uid, users[uid].name or users[uid].email) for uid in heat if uid in users),
        key=lambda item: item[1].lower(),
    )
    return CohortAnalytics(
        candidates=labelled,
        heat=heat,
        dimension_means=sorted(means, key=lambda m: (m[1], m[0])),
        flags=sorted(
            (FlagCount(f, n, len(flag_people[f])) for f, n in flag_attempts.items()),
            key=lambda c: (-c.candidates, -c.attempts, c.flag),
        ),
        questions=sorted(
            (q for q in failed if q.failed), key=lambda q: (-q.failed, q.average, q.question_id)
        )[:15],
        attempts=len(rows),
    )
