"""Turn an assessment into tasks and a week-by-week schedule. Pure and deterministic.

Tasks: every gap at the target gets a learning task (its first resource) and an evidence
task (its first evidence marker), sized from the track's hours in proportion to the gap's
cost; every competency rated 0 that the target does not require gets a short awareness task;
each track ends with an anchor activity that absorbs the track's remaining hours. A task's
`key` is a hash of what it is (not of its hours or week), so progress survives re-planning.

Schedule: week n starts on start_date + 7n. A week's capacity is hours_per_week, reduced in
proportion when specific unavailable dates fall on days the person would otherwise use;
recurring unavailable weekdays (shift patterns) and public holidays (of the profile's
holiday country and subdivision, or none) only move the study days, they do not cut the
weekly hours. Weeks with no capacity are skipped. Capacity is
counted in quarter hours.
Tasks are taken costliest gap first (learning before evidence), then orientation, then the
tracks' anchor activities, and split across weeks when they do not fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from healthpm.catalog import Catalog
from healthpm.domain.assessment import Assessment
from healthpm.domain.budget import (
    PROMOTION_TRACKS,
    SWITCH_TRACKS,
    Budget,
    promotion_budget,
    switch_budget,
    track_of,
)
from healthpm.domain.holidays import describe, is_holiday
from healthpm.domain.profile import STUDY_START, Profile
from healthpm.domain.tasks import Task, anchor_task, awareness_task, gap_tasks
from healthpm.errors import InvalidInputError

MIN_SLICE = 0.5  # never schedule a fragment smaller than half an hour
MAX_WEEKS = 520  # ten years: a plan that does not fit is an error, not a silent cut


@dataclass(frozen=True)
class ScheduledTask:
    key: str
    title: str
    competency: str | None
    track: str
    hours: float
    part: str = ""
    resource: str | None = None
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Week:
    index: int
    start: date
    end: date
    capacity: float
    study_days: list[date]
    tasks: list[ScheduledTask]

    @property
    def hours(self) -> float:
        return round(sum(t.hours for t in self.tasks), 2)


@dataclass(frozen=True)
class Milestone:
    week: int
    date: date
    title: str


@dataclass(frozen=True)
class Plan:
    kind: str
    profile_name: str
    target: str
    budget: Budget
    tasks: list[Task]
    weeks: list[Week]
    milestones: list[Milestone]
    checklist: list[str]
    done: list[Task] = field(default_factory=list)
    study_start: time = STUDY_START
    holidays: str = "US public holidays"

    @property
    def total_hours(self) -> float:
        return round(sum(w.hours for w in self.weeks), 2)


def _tracks(kind: str) -> dict[str, tuple[str, tuple[str, ...], int]]:
    return SWITCH_TRACKS if kind == "switch" else PROMOTION_TRACKS


def _quarter(hours: float) -> float:
    """Round down to a quarter hour: plans are scheduled in 15-minute units."""
    return math.floor(hours * 4 + 1e-9) / 4


def _allocate(hours: float, wants: list[float]) -> list[float]:
    """Scale wanted hours down to fit the track, in quarter hours, never below a quarter."""
    factor = min(1.0, hours / sum(wants)) if wants else 1.0
    return [max(0.25, _quarter(w * factor)) for w in wants]


def _track_tasks(
    catalog: Catalog,
    result: Assessment,
    profile: Profile,
    budget: Budget,
    track: str,
    hours: float,
    used: set[str],
) -> list[Task]:
    tracks = _tracks(budget.kind)
    gaps = [g for g in result.gaps if track_of(catalog, g.competency, tracks) == track]
    gap_ids = {g.competency for g in gaps}
    zero = [
        c
        for c, r in result.ratings.items()
        if r.rating == 0 and c not in gap_ids and track_of(catalog, c, tracks) == track
    ]
    cost = sum(g.cost for g in gaps) or 1.0
    wants = [max(1.0, 0.8 * hours * g.cost / cost) for g in gaps] + [1.0] * len(zero)
    shares = _allocate(hours - 1.0, wants)  # keep at least an hour for the anchor
    tasks: list[Task] = []
    for g, share in zip(gaps, shares, strict=False):
        tasks += gap_tasks(catalog, g, track, share, budget.kind, profile.target_level, used)
    tasks += [
        awareness_task(catalog, c, track, share, used)
        for c, share in zip(zero, shares[len(gaps) :], strict=True)
    ]
    spent = sum(t.hours for t in tasks)
    return [*tasks, anchor_task(track, budget.kind, max(0.25, hours - spent))]


def build_tasks(
    profile: Profile, result: Assessment, catalog: Catalog, budget: Budget
) -> list[Task]:
    """Tasks for every gap and zero-rated competency, sized to each track's hours."""
    tasks: list[Task] = []
    used: set[str] = set()  # resources already in the plan: one book is scheduled once
    for track, hours in budget.tracks.items():
        tasks += _track_tasks(catalog, result, profile, budget, track, hours, used)
    return tasks


def week_capacity(profile: Profile, start: date) -> tuple[float, list[date]]:
    """Hours available in the week starting at `start`, and the days the person can study."""
    off_days = profile.unavailable_weekdays()
    usual = [
        start + timedelta(d) for d in range(7) if (start + timedelta(d)).weekday() not in off_days
    ]
    days = [d for d in usual if d not in profile.unavailable_dates()]
    if not usual:
        return 0.0, []
    # Holidays move the study blocks to the week's other days; a week of only holidays keeps them.
    country, subdivision = profile.holiday_country, profile.holiday_subdivision
    study = [d for d in days if not is_holiday(d, country, subdivision)] or days
    return _quarter(profile.hours_per_week * len(days) / len(usual)), study


def _ordered(tasks: list[Task], order: list[str]) -> list[Task]:
    """Costliest gaps first (a gap's learning task before its evidence task), then
    orientation tasks, then each track's anchor activity, tracks taking turns."""
    gap_tasks = sorted(
        (t for t in tasks if t.kind in ("learn", "evidence")),
        key=lambda t: (-t.priority, t.competency or "", t.kind != "learn"),
    )
    rest = [t for t in tasks if t.kind not in ("learn", "evidence")]
    rest.sort(key=lambda t: (t.kind == "anchor", order.index(t.track)))
    return gap_tasks + rest


def _scheduled(task: Task, hours: float, part: str) -> ScheduledTask:
    return ScheduledTask(
        task.key, task.title, task.competency, task.track, hours, part, task.resource, task.url
    )


def schedule(profile: Profile, tasks: list[Task], order: list[str]) -> list[Week]:
    """Pack tasks into weeks from start_date without exceeding any week's capacity."""
    queue = [(t, t.hours) for t in _ordered(tasks, order)]
    weeks: list[Week] = []
    parts: dict[str, int] = {}
    for n in range(MAX_WEEKS):
        if not queue:
            break
        start = profile.start_date + timedelta(weeks=n)
        capacity, days = week_capacity(profile, start)
        free, chosen = capacity, []
        while queue and free >= MIN_SLICE - 1e-9:
            task, left = queue[0]
            take = min(left, free)
            if left - take > 0 and left - take < MIN_SLICE:
                take = left - MIN_SLICE  # keep the remainder schedulable
            take = round(take, 2)
            if take < MIN_SLICE - 1e-9 and take < left:
                break
            parts[task.key] = parts.get(task.key, 0) + 1
            chosen.append((task, take, parts[task.key]))
            free = round(free - take, 2)
            queue = queue[1:] if take >= left else [(task, round(left - take, 2)), *queue[1:]]
        if chosen:
            tasks_this_week = [
                _scheduled(t, h, f"part {p}" if p > 1 or h < t.hours else "") for t, h, p in chosen
            ]
            weeks.append(
                Week(n + 1, start, start + timedelta(days=6), capacity, days, tasks_this_week)
            )
    if queue:
        raise InvalidInputError(
            "the plan does not fit in ten years at these weekly hours; "
            "raise hours_per_week or remove unavailable dates"
        )
    return weeks


def _milestones(
    plan_weeks: list[Week], tasks: list[Task], titles: dict[str, str], kind: str
) -> list[Milestone]:
    last_week: dict[str, Week] = {}
    for w in plan_weeks:
        for t in w.tasks:
            last_week[t.track] = w
    out = [
        Milestone(w.index, w.end, f"{titles[track]} track complete")
        for track, w in last_week.items()
    ]
    if plan_weeks:
        mid = plan_weeks[len(plan_weeks) // 2]
        out.append(
            Milestone(
                mid.index,
                mid.end,
                "Mid-point check: re-rate yourself and look at your readiness again",
            )
        )
        end = plan_weeks[-1]
        final = (
            "Interview-ready: a 30-minute mock interview averaging 3.5 or better"
            if kind == "switch"
            else "Promotion packet reviewed with your manager against the next level's criteria"
        )
        out.append(Milestone(end.index, end.end, final))
    return sorted(out, key=lambda m: (m.week, m.title))


def _checklist(profile: Profile, catalog: Catalog) -> list[str]:
    targets = {profile.background, profile.target_level, "all"}
    return [
        f"{c.name}: {item.text}"
        for c in catalog.checklists.values()
        if targets & set(c.applies_to)
        for item in c.items
    ]


def build_plan(
    profile: Profile, result: Assessment, catalog: Catalog, done_keys: frozenset[str] = frozenset()
) -> Plan:
    """The plan for a profile; tasks already done are listed apart and not scheduled."""
    kind = catalog.backgrounds[profile.background].track
    budget = (switch_budget if kind == "switch" else promotion_budget)(catalog, result.gaps)
    tasks = build_tasks(profile, result, catalog, budget)
    todo = [t for t in tasks if t.key not in done_keys]
    done = [t for t in tasks if t.key in done_keys]
    order = list(budget.tracks)
    weeks = schedule(profile, todo, order)
    return Plan(
        kind,
        profile.name,
        profile.target_level,
        budget,
        tasks,
        weeks,
        _milestones(weeks, todo, budget.titles, kind),
        _checklist(profile, catalog),
        done,
        profile.study_start,
        describe(profile.holiday_country, profile.holiday_subdivision),
    )
