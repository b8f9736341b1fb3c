"""Navigator services: store profiles and plans, tick tasks, log hours, report progress.

Keyword-only, typed, take the session and never commit: the CLI command or web request is
the one transaction boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.db import utcnow
from healthpm.domain.assessment import assess
from healthpm.domain.planning import Plan, build_plan
from healthpm.domain.profile import Profile, validate_profile
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.navigator.export import plan_json
from healthpm.navigator.models import HoursLog, TaskProgress
from healthpm.navigator.models import Plan as PlanRow
from healthpm.navigator.models import Profile as ProfileRow

MAX_HOURS_PER_LOG = 24.0


def save_profile(session: Session, *, user: User, profile: Profile) -> ProfileRow:
    """Insert or update the user's profile of that name."""
    row = session.scalar(
        select(ProfileRow).where(ProfileRow.user_id == user.id, ProfileRow.name == profile.name)
    )
    data = profile.model_dump(mode="json")
    if row is None:
        row = ProfileRow(user_id=user.id, name=profile.name, data=data)
        session.add(row)
    else:
        row.data = data
        row.updated_at = utcnow()
    session.flush()
    return row


def current_profile(session: Session, *, user: User, catalog: Catalog) -> Profile | None:
    """The user's most recently saved profile, or None."""
    row = session.scalar(
        select(ProfileRow)
        .where(ProfileRow.user_id == user.id)
        .order_by(ProfileRow.updated_at.desc(), ProfileRow.id.desc())
    )
    return None if row is None else validate_profile(row.data, catalog, origin="stored profile")


def progress_entries(session: Session, *, user: User) -> int:
    """How many task ticks and hours entries the user has recorded."""
    ticks = session.scalar(
        select(func.count()).select_from(TaskProgress).where(TaskProgress.user_id == user.id)
    )
    hours = session.scalar(
        select(func.count()).select_from(HoursLog).where(HoursLog.user_id == user.id)
    )
    return int(ticks or 0) + int(hours or 0)


def clear_progress(session: Session, *, user: User) -> None:
    """Forget every task tick and hours entry of the user (plans and profiles stay)."""
    session.execute(delete(TaskProgress).where(TaskProgress.user_id == user.id))
    session.execute(delete(HoursLog).where(HoursLog.user_id == user.id))


def current_profile_name(session: Session, *, user: User) -> str | None:
    """The name of the profile of the user's current plan (ticks and hours are kept per
    profile under it), or None without a plan."""
    return session.scalar(
        select(ProfileRow.name)
        .join(PlanRow, PlanRow.profile_id == ProfileRow.id)
        .where(PlanRow.user_id == user.id)
        .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
        .limit(1)
    )


def done_keys(session: Session, *, user: User, profile_name: str | None = None) -> frozenset[str]:
    """Keys of the tasks this user has ticked under that profile (default: the current
    plan's); a tick under another profile does not count."""
    name = profile_name or current_profile_name(session, user=user)
    if name is None:
        return frozenset()
    rows = session.scalars(
        select(TaskProgress.task_key).where(
            TaskProgress.user_id == user.id,
            TaskProgress.profile_name == name,
            TaskProgress.done.is_(True),
        )
    )
    return frozenset(rows)


def make_plan(
    session: Session, *, user: User, profile: Profile, catalog: Catalog, save: bool = True
) -> Plan:
    """Assess, plan (keeping what is done) and store the plan as the user's current one."""
    done = done_keys(session, user=user, profile_name=profile.name)
    plan = build_plan(profile, assess(profile, catalog), catalog, done)
    if save:
        row = save_profile(session, user=user, profile=profile)
        session.add(PlanRow(user_id=user.id, profile_id=row.id, data=plan_json(plan)))
        session.flush()
    return plan


def current_plan(session: Session, *, user: User) -> dict[str, Any]:
    """The latest stored plan (its JSON), or NotFoundError."""
    row = session.scalar(
        select(PlanRow)
        .where(PlanRow.user_id == user.id)
        .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
    )
    if row is None:
        raise NotFoundError("no plan yet: run `healthpm plan PROFILE` first")
    return row.data


def _plan_task(plan: dict[str, Any], key: str) -> dict[str, Any]:
    for task in plan["tasks"]:
        if task["key"] == key:
            return dict(task)
    raise NotFoundError(
        f"no task {key!r} in your current plan; task keys are listed by `healthpm plan PROFILE`"
        " (grey, before each title)"
    )


def task_parts(plan: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """Each week's part of a task as (week index, the week's row): one row for a task that
    fits in a week, several for one the plan split; ticking is by task, so by every part."""
    return [
        (week["index"], dict(task))
        for week in plan["weeks"]
        for task in week["tasks"]
        if task["key"] == key
    ]


def set_task_done(
    session: Session, *, user: User, task_key: str, done: bool = True
) -> dict[str, Any]:
    """Tick (or untick) a task of the current plan."""
    task = _plan_task(current_plan(session, user=user), task_key)
    profile_name = current_profile_name(session, user=user)
    row = session.scalar(
        select(TaskProgress).where(
            TaskProgress.user_id == user.id,
            TaskProgress.profile_name == profile_name,
            TaskProgress.task_key == task_key,
        )
    )
    if row is None:
        row = TaskProgress(user_id=user.id, profile_name=profile_name, task_key=task_key)
        session.add(row)
    row.done, row.done_at = done, (utcnow() if done else None)
    session.flush()
    return task


def log_hours(
    session: Session,
    *,
    user: User,
    hours: float,
    on: date,
    task_key: str | None = None,
    note: str = "",
) -> HoursLog:
    """Record time spent, optionally against a task of the current plan."""
    if not 0 < hours <= MAX_HOURS_PER_LOG:
        raise InvalidInputError(f"hours must be more than 0 and at most {MAX_HOURS_PER_LOG:g}")
    track = _plan_task(current_plan(session, user=user), task_key)["track"] if task_key else None
    entry = HoursLog(
        user_id=user.id,
        profile_name=current_profile_name(session, user=user),
        task_key=task_key,
        track=track,
        hours=hours,
        logged_on=on,
        note=note[:500],
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class TrackProgress:
    track: str
    planned_hours: float
    done_hours: float
    logged_hours: float
    tasks_done: int
    tasks_total: int

    @property
    def percent(self) -> int:
        return 0 if not self.planned_hours else round(100 * self.done_hours / self.planned_hours)


GENERAL = "general-study"  # the row for hours logged without a task of the current plan


def progress(session: Session, *, user: User) -> list[TrackProgress]:
    """Per track: planned hours, hours of ticked tasks, hours logged, tasks done; then a
    "general study" row for hours logged without a task (or against an older plan's track)."""
    plan = current_plan(session, user=user)
    name = current_profile_name(session, user=user)
    done = done_keys(session, user=user, profile_name=name)
    logged = dict(
        session.execute(
            select(HoursLog.track, func.sum(HoursLog.hours))
            .where(HoursLog.user_id == user.id, HoursLog.profile_name == name)
            .group_by(HoursLog.track)
        ).all()
    )
    out = []
    tracks = list(plan["budget"]["tracks"])
    for track in tracks:
        tasks = [t for t in plan["tasks"] if t["track"] == track]
        finished = [t for t in tasks if t["key"] in done]
        out.append(
            TrackProgress(
                track,
                round(sum(t["hours"] for t in tasks), 2),
                round(sum(t["hours"] for t in finished), 2),
                round(float(logged.get(track) or 0.0), 2),
                len(finished),
                len(tasks),
            )
        )
    general = sum(float(h or 0.0) for t, h in logged.items() if t not in tracks)
    out.append(TrackProgress(GENERAL, 0.0, 0.0, round(general, 2), 0, 0))
    return out


def hours_logged(session: Session, *, user: User, start: date, end: date) -> float:
    """Hours logged under the current plan's profile from start to end (inclusive), with or
    without a task."""
    name = current_profile_name(session, user=user)
    if name is None:
        return 0.0
    total = session.scalar(
        select(func.sum(HoursLog.hours)).where(
            HoursLog.user_id == user.id,
            HoursLog.profile_name == name,
            HoursLog.logged_on >= start,
            HoursLog.logged_on <= end,
        )
    )
    return round(float(total or 0.0), 2)


def describe_change(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Plain sentences saying how a re-plan changed the plan."""
    old_keys = {t["key"] for t in before["tasks"]}
    new_keys = {t["key"] for t in after["tasks"]}
    lines = [
        f"Hours: {before['total_hours']:g} before, {after['total_hours']:g} now; "
        f"weeks: {len(before['weeks'])} before, {len(after['weeks'])} now."
    ]
    dropped = len({t["key"] for t in after.get("done", [])} - {t["key"] for t in before["done"]})
    if dropped:
        lines.append(f"{_count(dropped, 'task')} you ticked since the last plan left the schedule.")
    if new_keys - old_keys:
        lines.append(f"{_count(len(new_keys - old_keys), 'new task')} from your current ratings.")
    if old_keys - new_keys:
        gone = len(old_keys - new_keys)
        lines.append(f"{_count(gone, 'task')} no longer needed after your ratings changed.")
    if len(lines) == 1 and before["total_hours"] == after["total_hours"]:
        lines = ["Nothing changed: the plan already matched your profile."]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
