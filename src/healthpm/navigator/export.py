"""Plan exports: the JSON contract, Markdown and iCalendar (.ics)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from healthpm.catalog import Catalog
from healthpm.domain.planning import Plan, Week


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


def plan_markdown(plan: Plan, catalog: Catalog) -> str:
    """A readable plan to keep in notes or share with a coach."""
    target = catalog.levels[plan.target].name
    lines = [
        f"# {plan.profile_name}: plan toward {target}",
        "",
        f"**{plan.total_hours:g} hours** over {len(plan.weeks)} weeks.",
        "",
    ]
    lines += [f"- {e}" for e in plan.budget.explanation] + ["", "## Milestones", ""]
    lines += [f"- Week {m.week} ({m.date.isoformat()}): {m.title}" for m in plan.milestones]
    lines.append("")
    for w in plan.weeks:
        lines += [
            f"## Week {w.index}: {w.start.isoformat()} to {w.end.isoformat()} ({w.hours:g} h)",
            "",
        ]
        for t in w.tasks:
            part = f" ({t.part})" if t.part else ""
            link = f" — <{t.url}>" if t.url else ""
            lines.append(f"- [ ] {t.title}{part}: {t.hours:g} h{link} `{t.key}`")
            if t.detail:
                lines.append(f"  - {t.detail}")
        lines.append("")
    if plan.checklist:
        lines += ["## Checklist", ""] + [f"- [ ] {item}" for item in plan.checklist] + [""]
    return "\n".join(lines)


def _week_event(plan: Plan, week: Week, stamp: datetime) -> Event:
    event = Event()
    # The UID names the profile and the week's position, so a re-export (or a re-plan)
    # updates the same calendar entries instead of adding new ones.
    event.add("uid", f"healthpm-{slug(plan.profile_name)}-week-{week.index}@healthpm.local")
    event.add("dtstamp", stamp)
    event.add("summary", f"healthpm week {week.index}: {week.hours:g} h")
    event.add("dtstart", week.start)
    event.add("dtend", week.end + timedelta(days=1))
    days = ", ".join(d.strftime("%a %d %b") for d in week.study_days)
    tasks = "\n".join(f"- {t.title} ({t.hours:g} h)" for t in week.tasks)
    event.add("description", f"Study days: {days}\n{tasks}")
    event.add("transp", "TRANSPARENT")
    return event


def plan_ics(plan: Plan, stamp: datetime | None = None) -> bytes:
    """One all-day event per week's block, with stable UIDs."""
    cal = Calendar()
    cal.add("prodid", "-//healthpm//plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"healthpm: {plan.profile_name}")
    stamp = stamp or datetime.now(UTC)
    for week in plan.weeks:
        cal.add_component(_week_event(plan, week, stamp))
    return bytes(cal.to_ical())
