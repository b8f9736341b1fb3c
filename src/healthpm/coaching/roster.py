"""The coach's cohort: one row per candidate, with only what that candidate shares.

The cohort is every candidate account of the server (a bootcamp runs one server per cohort,
or several cohorts that the coach tells apart by search). A candidate who shares nothing is
still listed, by name, and marked so: the coach sees who has not shared yet, never their data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import LOCAL_USER_EMAIL, Share, User
from healthpm.catalog import Catalog
from healthpm.coaching.models import CoachReview
from healthpm.coaching.review import unread_for_coach
from healthpm.domain.assessment import assess
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.navigator.models import HoursLog, TaskProgress
from healthpm.practice.models import Attempt

#: Attempts whose red flags count as "open": the candidate's newest answers.
RECENT = 5


@dataclass(frozen=True)
class PlanStatus:
    """Where a candidate stands against their plan today."""

    percent: int
    done_hours: float
    planned_hours: float
    logged_hours: float
    current_week: int | None
    weeks: int
    expected_hours: float

    @property
    def on_track(self) -> bool:
        """Done at least what the weeks before this one planned (a quarter hour of slack)."""
        return self.done_hours + 0.25 >= self.expected_hours

    @property
    def behind_hours(self) -> float:
        return max(0.0, round(self.expected_hours - self.done_hours, 2))


@dataclass
class CohortRow:
    """One candidate as the coach sees them; None means not shared (or nothing yet)."""

    id: int
    name: str
    email: str
    shares: tuple[str, ...]
    target: str | None = None
    background: str | None = None
    readiness: int | None = None
    plan: PlanStatus | None = None
    attempts: int | None = None
    average: float | None = None
    trend: float | None = None
    open_flags: int | None = None
    unreviewed: int | None = None
    unread: int = 0
    last_activity: datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def shares_nothing(self) -> bool:
        return not self.shares


def plan_status(
    plan: dict[str, Any], done: frozenset[str], logged: float, today: date
) -> PlanStatus:
    """Percent done, the current week and the hours the weeks before it planned."""
    week_hours = [
        (w["index"], date.fromisoformat(w["start"]), date.fromisoformat(w["end"]), t)
        for w in plan["weeks"]
        for t in w["tasks"]
    ]
    current = next(
        (w["index"] for w in plan["weeks"] if w["start"] <= today.isoformat() <= w["end"]), None
    )
    if current is None and plan["weeks"] and today.isoformat() > plan["weeks"][-1]["end"]:
        current = plan["weeks"][-1]["index"] + 1  # past the end: everything was due
    expected = sum(t["hours"] for _i, _s, end, t in week_hours if end < today)
    done_hours = sum(t["hours"] for *_rest, t in week_hours if t["key"] in done)
    planned = sum(t["hours"] for *_rest, t in week_hours)
    return PlanStatus(
        percent=round(100 * done_hours / planned) if planned else 0,
        done_hours=round(done_hours, 2),
        planned_hours=round(planned, 2),
        logged_hours=round(logged, 2),
        current_week=current,
        weeks=len(plan["weeks"]),
        expected_hours=round(expected, 2),
    )


def candidates(session: Session) -> list[User]:
    """Every enabled candidate account, by name."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.role == "candidate",
                User.email != LOCAL_USER_EMAIL,
                User.disabled_at.is_(None),
            )
            .order_by(func.lower(User.name), User.email)
        )
    )


def active_kinds(session: Session, *, coach: User) -> dict[int, set[str]]:
    """Candidate id -> kinds they share with this coach right now."""
    out: dict[int, set[str]] = {}
    rows = session.execute(
        select(Share.user_id, Share.kind).where(
            Share.coach_id == coach.id, Share.revoked_at.is_(None)
        )
    )
    for user_id, kind in rows:
        out.setdefault(user_id, set()).add(kind)
    return out


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present, key=lambda v: v.replace(tzinfo=None)) if present else None


def _fill_plan(
    session: Session, row: CohortRow, owner: User, catalog: Catalog, today: date
) -> None:
    profile = navigator.current_profile(session, user=owner, catalog=catalog)
    if profile is not None:
        row.target, row.background = profile.target_level, profile.background
        row.readiness = assess(profile, catalog).readiness[profile.target_level].readiness
    try:
        plan = navigator.current_plan(session, user=owner)
    except NotFoundError:
        plan = None
    if plan is not None:
        # The current plan's profile only: ticks and hours are kept per profile.
        name = navigator.current_profile_name(session, user=owner)
        logged = session.scalar(
            select(func.coalesce(func.sum(HoursLog.hours), 0.0)).where(
                HoursLog.user_id == owner.id, HoursLog.profile_name == name
            )
        )
        done = navigator.done_keys(session, user=owner, profile_name=name)
        row.plan = plan_status(plan, done, float(logged or 0.0), today)
    last_tick = session.scalar(
        select(func.max(TaskProgress.updated_at)).where(TaskProgress.user_id == owner.id)
    )
    last_hours = session.scalar(
        select(func.max(HoursLog.created_at)).where(HoursLog.user_id == owner.id)
    )
    row.last_activity = _latest(row.last_activity, last_tick, last_hours)


def _fill_practice(session: Session, row: CohortRow, owner: User, coach: User) -> None:
    attempts = session.execute(
        select(Attempt.id, Attempt.overall, Attempt.created_at, Attempt.feedback)
        .where(Attempt.user_id == owner.id)
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
    ).all()
    row.attempts = len(attempts)
    reviewed = set(
        session.scalars(
            select(CoachReview.attempt_id).where(
                CoachReview.coach_id == coach.id, CoachReview.user_id == owner.id
            )
        )
    )
    row.unreviewed = sum(1 for a in attempts if a.id not in reviewed)
    if not attempts:
        return
    scores = [a.overall for a in attempts]
    row.average = round(sum(scores) / len(scores), 2)
    if len(scores) >= 2:
        half = max(1, min(3, len(scores) // 2))
        newer, older = scores[:half], scores[half : 2 * half]
        row.trend = round(sum(newer) / len(newer) - sum(older) / len(older), 2)
    recent_flags = {f["id"] for a in attempts[:RECENT] for f in a.feedback.get("flags", [])}
    row.flags = sorted(recent_flags)
    row.open_flags = len(recent_flags)
    row.last_activity = _latest(row.last_activity, attempts[0].created_at)


def cohort(
    session: Session, *, coach: User, catalog: Catalog, today: date | None = None
) -> list[CohortRow]:
    """One row per candidate of the server, filled with what each shares with this coach."""
    today = today or date.today()
    kinds = active_kinds(session, coach=coach)
    unread = unread_for_coach(session, coach=coach)
    rows = []
    for owner in candidates(session):
        shared = kinds.get(owner.id, set())
        row = CohortRow(owner.id, owner.name or owner.email, owner.email, tuple(sorted(shared)))
        if "plan" in shared:
            _fill_plan(session, row, owner, catalog, today)
        if "practice" in shared:
            _fill_practice(session, row, owner, coach)
            row.unread = unread.get(owner.id, 0)
        rows.append(row)
    return rows
