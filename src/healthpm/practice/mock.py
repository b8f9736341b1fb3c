"""Timed mock interviews: pick balanced questions, store the answers, build the end report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.catalog import Catalog
from healthpm.db import utcnow
from healthpm.domain.content import Question
from healthpm.domain.feedback.schema import DIMENSIONS
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError
from healthpm.practice.models import Attempt, MockSession
from healthpm.practice.scheduling import competency_gaps

MINUTES_PER_QUESTION = 5
MAX_MINUTES = 180
REPEAT_BELOW = 3.5


def question_count(minutes: int) -> int:
    """About one question per five minutes, at least one."""
    return max(1, round(minutes / MINUTES_PER_QUESTION))


def _candidates(catalog: Catalog, level: str | None, category: str | None) -> list[Question]:
    if level is not None:
        catalog.get("levels", level)
    found = [
        q
        for q in catalog.questions.values()
        if (level is None or level in q.levels) and (category is None or q.category == category)
    ]
    if not found:
        categories = sorted({q.category for q in catalog.questions.values()})
        raise InvalidInputError(
            f"no questions for level {level or 'any'} and category {category or 'any'}; "
            f"categories: {', '.join(categories)}"
        )
    return found


def pick_questions(
    catalog: Catalog,
    *,
    count: int,
    level: str | None = None,
    category: str | None = None,
    profile: Profile | None = None,
    times_seen: dict[str, int] | None = None,
) -> list[str]:
    """`count` question ids spread round-robin across categories.

    Within a category: least practised first, then the weakest competency (with a profile),
    then catalog order; so the pick is the same for the same history.
    """
    seen = times_seen or {}
    gaps = competency_gaps(profile, catalog) if profile else {}
    by_category: dict[str, list[Question]] = defaultdict(list)
    for q in _candidates(catalog, level, category):
        by_category[q.category].append(q)
    order = {qid: i for i, qid in enumerate(catalog.questions)}
    for questions in by_category.values():
        questions.sort(
            key=lambda q: (
                seen.get(q.id, 0),
                -max((gaps.get(c, 0) for c in q.competencies), default=0),
                order[q.id],
            )
        )
    queues = [
        by_category[c]
        for c in sorted(
            by_category,
            key=lambda c: (seen.get(by_category[c][0].id, 0), order[by_category[c][0].id]),
        )
    ]
    picked: list[str] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0).id)
    return picked


def _times_seen(session: Session, user_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Attempt.question_id, func.count())
        .where(Attempt.user_id == user_id, Attempt.question_id.is_not(None))
        .group_by(Attempt.question_id)
    )
    return {str(qid): int(n) for qid, n in rows}


def start_mock(
    session: Session,
    *,
    catalog: Catalog,
    user_id: int,
    minutes: int,
    level: str | None = None,
    category: str | None = None,
    profile: Profile | None = None,
    now: datetime | None = None,
) -> MockSession:
    """Create a mock session with its questions picked (level defaults to the profile's)."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInputError(f"--minutes must be between 1 and {MAX_MINUTES}")
    level = level or (profile.target_level if profile else None)
    ids = pick_questions(
        catalog,
        count=question_count(minutes),
        level=level,
        category=category,
        profile=profile,
        times_seen=_times_seen(session, user_id),
    )
    mock = MockSession(
        user_id=user_id,
        started_at=now or utcnow(),
        minutes=minutes,
        level=level,
        category=category,
        question_ids=ids,
    )
    session.add(mock)
    session.flush()
    return mock


def build_report(attempts: Sequence[Attempt], asked: Sequence[str]) -> dict[str, Any]:
    """The end report: averages, weakest dimension, questions to repeat, flags seen."""
    answered = [a for a in attempts if a.feedback]
    report: dict[str, Any] = {
        "asked": len(asked),
        "answered": len(answered),
        "skipped": [qid for qid in asked if qid not in {a.question_id for a in answered}],
        "overall": None,
        "dimensions": {},
        "weakest_dimension": None,
        "repeat": [],
        "flags": {},
    }
    if not answered:
        return report
    report["overall"] = round(sum(a.overall for a in answered) / len(answered), 2)
    dims = {
        d: round(sum(a.feedback["dimensions"].get(d, 0) for a in answered) / len(answered), 2)
        for d in DIMENSIONS
    }
    report["dimensions"] = dims
    report["weakest_dimension"] = min(dims, key=lambda d: (dims[d], DIMENSIONS.index(d)))
    report["repeat"] = [
        a.question_id or a.question_text for a in answered if a.overall < REPEAT_BELOW
    ]
    flags = Counter(f["id"] for a in answered for f in a.feedback.get("flags", []))
    report["flags"] = dict(flags.most_common())
    return report


def finish_mock(session: Session, *, mock: MockSession, now: datetime | None = None) -> MockSession:
    """End the session and store its report (from the attempts recorded under it)."""
    attempts = list(
        session.scalars(select(Attempt).where(Attempt.mock_id == mock.id).order_by(Attempt.id))
    )
    mock.report = build_report(attempts, mock.question_ids)
    mock.ended_at = now or utcnow()
    session.flush()
    return mock
