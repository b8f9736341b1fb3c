"""Gap tasks from the story bank or a job posting, appended to the user's current plan.

The plan's own weeks are left as planned: the new tasks go into weeks added after its end,
each filled to the plan's weekly capacity, so no week ever holds more than the person can
give. Adding the same gap twice adds nothing (task keys are stable).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.errors import NotFoundError
from healthpm.navigator.models import Plan as PlanRow

TASK_HOURS = 2.0


@dataclass(frozen=True)
class GapTask:
    competency: str
    title: str
    hours: float = TASK_HOURS


def task_key(source: str, competency: str) -> str:
    """A stable key, so re-adding a gap from the same source finds the same task."""
    return hashlib.sha1(f"{source}|{competency}".encode()).hexdigest()[:12]


def _track(plan: dict[str, Any], competency: str) -> str:
    for task in plan.get("tasks", []):
        if task.get("competency") == competency:
            return str(task["track"])
    tracks = list(plan.get("budget", {}).get("tracks") or ["portfolio-project"])
    return str(tracks[0])


def _new_weeks(plan: dict[str, Any], tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    weeks = plan.get("weeks") or []
    capacity = float(weeks[-1]["capacity"]) if weeks else TASK_HOURS
    start = date.fromisoformat(weeks[-1]["end"]) + timedelta(days=1) if weeks else date.today()
    index = int(weeks[-1]["index"]) + 1 if weeks else 1
    out: list[dict[str, Any]] = []
    for task in tasks:
        if not out or out[-1]["hours"] + task["hours"] > max(capacity, task["hours"]):
            begin = start + timedelta(weeks=len(out))
            out.append(
                {
                    "index": index + len(out),
                    "start": begin.isoformat(),
                    "end": (begin + timedelta(days=6)).isoformat(),
                    "hours": 0.0,
                    "capacity": capacity,
                    "tasks": [],
                }
            )
        out[-1]["tasks"].append(task)
        out[-1]["hours"] = round(out[-1]["hours"] + task["hours"], 2)
    return out


def add_gap_tasks(
    session: Session, *, user: User, source: str, gaps: list[GapTask]
) -> list[dict[str, Any]]:
    """Append a task per gap to the user's latest plan; returns the tasks actually added."""
    row = session.scalar(
        select(PlanRow)
        .where(PlanRow.user_id == user.id)
        .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
    )
    if row is None:
        raise NotFoundError("no plan yet to add tasks to: make one with `healthpm plan PROFILE`")
    plan = dict(row.data)
    have = {t["key"] for t in plan.get("tasks", [])}
    added: list[dict[str, Any]] = []
    for gap in gaps:
        key = task_key(source, gap.competency)
        if key in have:
            continue
        have.add(key)
        track = _track(plan, gap.competency)
        added.append(
            {
                "key": key,
                "title": gap.title,
                "competency": gap.competency,
                "track": track,
                "hours": gap.hours,
                "kind": "evidence",
                "part": "",
                "resource": None,
                "url": None,
                "source": source,
            }
        )
    if added:
        plan["tasks"] = [*plan.get("tasks", []), *added]
        plan["weeks"] = [*plan.get("weeks", []), *_new_weeks(plan, added)]
        plan["total_hours"] = round(
            float(plan.get("total_hours", 0)) + sum(t["hours"] for t in added), 2
        )
        row.data = plan  # a new dict, so the JSON column is written
        session.flush()
    return added
