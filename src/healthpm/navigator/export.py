"""Plan exports: the JSON contract, Markdown and iCalendar (.ics).

Markdown and .ics are made from the stored plan's JSON and the ticked task keys, the same
inputs as the plan page, so a download always says what the page says.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Calendar, Event

from healthpm.catalog import Catalog
from healthpm.domain.holidays import is_holiday
from healthpm.domain.planning import Plan


def slug(text: str) -> str:
    """Lowercase words joined by '-', for file names and calendar UIDs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "profile"


def _task_json(t: Any) -> dict[str, Any]:
    return {
        "key": t.key,
        "title": t.title,
        "competency": t.competency,
        "track": t.track,
        "hours": t.hours,
        "part": t.part,
        "resource": t.resource,
        "url": t.url,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The `healthpm plan --json` contract: total_hours is the sum of the weeks' hours."""
    return {
        "kind": plan.kind,
        "profile": plan.profile_name,
        "target": plan.target,
        "total_hours": plan.total_hours,
        "study_start": plan.study_start.strftime("%H:%M"),
        "holidays": plan.holidays,
        "budget": {
            "total": plan.budget.total,
            "tracks": plan.budget.tracks,
            "explanation": plan.budget.explanation,
        },
        "weeks": [
            {
                "index": w.index,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "hours": w.hours,
                "capacity": w.capacity,
                "study_days": [d.isoformat() for d in w.study_days],
                "tasks": [_task_json(t) for t in w.tasks],
            }
            for w in plan.weeks
        ],
        "milestones": [
            {"week": m.week, "date": m.date.isoformat(), "title": m.title} for m in plan.milestones
        ],
        "checklist": plan.checklist,
        "done": [{"key": t.key, "title": t.title, "hours": t.hours} for t in plan.done],
        "tasks": [
            {
                "key": t.key,
                "title": t.title,
                "competency": t.competency,
                "track": t.track,
                "hours": t.hours,
                "kind": t.kind,
            }
            for t in plan.tasks
        ],
    }


def study_start(data: dict[str, Any]) -> time:
    """When the plan's study blocks start: the profile's choice (plans stored before it was a
    choice start at 19:00). A floating local time: the calendar app shows it in the user's
    zone."""
    return time.fromisoformat(data.get("study_start") or "19:00")


def study_blocks(week: dict[str, Any], data: dict[str, Any]) -> list[tuple[date, str, str]]:
    """(day, start, end) of each study block of a week, as HH:MM: the page and the .ics
    show the same blocks."""
    minutes = block_minutes(week)
    first = datetime.combine(date.min, study_start(data))
    end = first + timedelta(minutes=minutes)
    return [(day, f"{first:%H:%M}", f"{end:%H:%M}") for day in study_days(week)]


def _hours(value: float) -> str:
    return f"{value:g} hour" + ("" if value == 1 else "s")


def plan_markdown(data: dict[str, Any], catalog: Catalog, done: frozenset[str]) -> str:
    """A readable plan to keep in notes or share with a coach; ticked tasks are checked."""
    target = catalog.levels[data["target"]].name if data["target"] in catalog.levels else ""
    lines = [
        f"# {data['profile']}: plan toward {target or data['target']}",
        "",
        f"**{_hours(data['total_hours'])}** over {len(data['weeks'])} weeks.",
        "",
        f"Study blocks start at {study_start(data):%H:%M} on each study day "
        f"({data.get('holidays') or 'US public holidays'} and your days off skipped).",
        "",
    ]
    lines += [f"- {e}" for e in data["budget"]["explanation"]] + ["", "## Milestones", ""]
    lines += [f"- Week {m['week']} ({m['date']}): {m['title']}" for m in data["milestones"]]
    lines.append("")
    if data.get("done"):
        lines += ["## Done before this plan", ""]
        lines += [f"- [x] {t['title']}: {t['hours']:g} h" for t in data["done"]] + [""]
    for w in data["weeks"]:
        lines += [f"## Week {w['index']}: {w['start']} to {w['end']} ({w['hours']:g} h)", ""]
        for t in w["tasks"]:
            part = f" ({t['part']})" if t.get("part") else ""
            link = f" — <{t['url']}>" if t.get("url") else ""
            box = "x" if t["key"] in done else " "
            lines.append(f"- [{box}] {t['title']}{part}: {t['hours']:g} h{link} `{t['key']}`")
        lines.append("")
    if data.get("checklist"):
        lines += ["## Checklist", ""] + [f"- [ ] {item}" for item in data["checklist"]] + [""]
    return "\n".join(lines)


def study_days(week: dict[str, Any]) -> list[date]:
    """The week's study days (older stored plans lack them: every non-holiday day)."""
    if week.get("study_days"):
        return [date.fromisoformat(d) for d in week["study_days"]]
    start = date.fromisoformat(week["start"])
    days = [start + timedelta(n) for n in range(7)]
    return [d for d in days if not is_holiday(d)] or days


def block_minutes(week: dict[str, Any]) -> int:
    """Minutes per study day: the week's hours spread evenly, rounded up to 15 minutes."""
    days = study_days(week)
    per_day = week["hours"] * 60 / max(1, len(days))
    return max(15, -(-int(round(per_day)) // 15) * 15)


def _day_event(data: dict[str, Any], week: dict[str, Any], day: date, stamp: datetime) -> Event:
    event = Event()
    # The UID names the profile, the week's position and the weekday, so a re-export (or a
    # re-plan) updates the same calendar entries instead of adding new ones.
    uid = f"healthpm-{slug(data['profile'])}-week-{week['index']}-{day:%a}".lower()
    event.add("uid", f"{uid}@healthpm.local")
    event.add("dtstamp", stamp)
    minutes = block_minutes(week)
    event.add("summary", f"Study: week {week['index']} of your healthpm plan")
    start = datetime.combine(day, study_start(data))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    tasks = "\n".join(f"- {t['title']} ({t['hours']:g} h)" for t in week["tasks"])
    event.add("description", f"{minutes} minutes today. This week's tasks:\n{tasks}")
    return event


def plan_ics(data: dict[str, Any], stamp: datetime | None = None) -> bytes:
    """A timed study block on each study day of each week (holidays skipped), stable UIDs."""
    cal = Calendar()
    cal.add("prodid", "-//healthpm//plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"healthpm: {data['profile']}")
    stamp = stamp or datetime.now(UTC)
    for week in data["weeks"]:
        for day in study_days(week):
            cal.add_component(_day_event(data, week, day, stamp))
    return bytes(cal.to_ical())
