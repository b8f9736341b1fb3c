"""Rich renderings of assessments, plans and progress: every number explained."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from healthpm.catalog import Catalog
from healthpm.domain.assessment import (
    CAP_FAR_BELOW,
    CAP_ONE_BELOW,
    MUST_HAVE_WEIGHT,
    READY,
    Assessment,
)
from healthpm.domain.budget import PROMOTION_TRACKS, SWITCH_TRACKS
from healthpm.domain.content import PROFICIENCY
from healthpm.domain.labels import label
from healthpm.domain.planning import Plan
from healthpm.navigator.service import GENERAL, TrackProgress


def _bar(percent: float, width: int = 20) -> str:
    filled = round(width * max(0.0, min(100.0, percent)) / 100)
    return "█" * filled + "░" * (width - filled)


def render_assessment(console: Console, result: Assessment, catalog: Catalog) -> None:
    """Placement, readiness per level with caps, ranked gaps with cost, strengths."""
    target = catalog.levels[result.target].name
    placed = catalog.levels[result.placement].name
    verb = "meets the bar of" if result.placement_met else "is working toward"
    console.print(
        f"[bold]Placement:[/] your profile {verb} [bold]{placed}[/]. Target: [bold]{target}[/]."
    )
    table = Table(title="Readiness per level (0-100)", title_justify="left")
    for col in ("level", "readiness", "", "why"):
        table.add_column(col)
    for lv in catalog.levels_ascending():
        r = result.readiness[lv.id]
        why = f"meets {r.uncapped:.0f}% of the weighted expectations"
        if r.cap is not None:
            titles = [catalog.competencies[c].name for c in r.capped_by[:3]]
            names = ", ".join(titles) + ("..." if len(r.capped_by) > 3 else "")
            noun = "must-have" if len(r.capped_by) == 1 else "must-haves"
            verb = "is" if len(r.capped_by) == 1 else "are"
            if round(r.uncapped) > r.cap:
                why += f"; capped at {r.cap} because {noun} {names} {verb} below the bar"
            else:
                why += f"; {noun} {names} {verb} below the bar (a cap of {r.cap}, not reached)"
        mark = " ◀ target" if lv.id == result.target else ""
        table.add_row(lv.name + mark, str(r.readiness), _bar(r.readiness), why)
    console.print(table)
    console.print(
        f"How: readiness = weighted share of each level's expected proficiency you meet "
        f"(must-haves weigh {MUST_HAVE_WEIGHT}x). {READY}+ counts as ready. A must-have "
        f"one step short caps readiness at {CAP_ONE_BELOW}, two or more at "
        f"{CAP_FAR_BELOW}."
    )
    _render_gaps(console, result, catalog)


def _render_gaps(console: Console, result: Assessment, catalog: Catalog) -> None:
    table = Table(
        title=f"Gaps at {catalog.levels[result.target].name}, costliest first", title_justify="left"
    )
    for col in ("competency", "you", "expected", "cost", "note"):
        table.add_column(col)
    for g in result.gaps:
        note = "must-have" if g.must_have else ""
        if g.source != "self":
            note += (" " if note else "") + (
                "(unrated: assumed from background)" if g.source == "background" else "(unrated)"
            )
        table.add_row(
            catalog.competencies[g.competency].name,
            f"{g.rating} {PROFICIENCY[g.rating]}",
            f"{g.expected} {PROFICIENCY[g.expected]}",
            f"-{g.cost:g}",
            note,
        )
    console.print(table)
    console.print(
        "cost = readiness points at the target this gap takes away; closing it adds them back."
    )
    if result.strengths:
        names = ", ".join(
            f"{catalog.competencies[s.competency].name} ({s.rating})" for s in result.strengths[:8]
        )
        console.print(f"[bold]Strengths[/] (3+ and at or above the target's bar): {names}")


def render_plan(console: Console, plan: Plan, catalog: Catalog) -> None:
    """Budget explanation, weeks with tasks, milestones."""
    console.print(
        f"[bold]{plan.total_hours:g} h over {len(plan.weeks)} weeks[/] toward "
        f"{catalog.levels[plan.target].name}."
    )
    console.print(
        f"Study blocks start at {plan.study_start:%H:%M} on each study day "
        f"({plan.holidays} and your days off skipped).",
        highlight=False,
    )
    for line in plan.budget.explanation:
        console.print(f"• {line}")
    if plan.done:
        n = len(plan.done)
        console.print(f"Already done and kept from earlier plans: {n} task{'' if n == 1 else 's'}.")
    for w in plan.weeks:
        console.print(
            f"\n[bold]Week {w.index}[/] {w.start:%a %d %b} – {w.end:%a %d %b %Y} "
            f"({w.hours:g} of {w.capacity:g} h)"
        )
        for t in w.tasks:
            part = f" ({t.part})" if t.part else ""
            console.print(f"  [dim]{t.key}[/] {t.title}{part} — {t.hours:g} h", highlight=False)
    console.print("\nTick a task with `healthpm done KEY` (the key is the grey code before it).")
    console.print("\n[bold]Milestones[/]")
    for m in plan.milestones:
        console.print(f"  week {m.week} ({m.date:%d %b %Y}): {m.title}")


def _track_title(track: str) -> str:
    """A plan track by its title ('clinical-workflows' -> 'Clinical workflows')."""
    titles = {t: title for t, (title, _, _) in (SWITCH_TRACKS | PROMOTION_TRACKS).items()}
    return titles.get(track, label(track))


def render_progress(console: Console, rows: list[TrackProgress]) -> None:
    """A bar per track: hours of ticked tasks against planned hours, and hours logged."""
    table = Table(title="Progress against your current plan", title_justify="left")
    for col in ("track", "progress", "%", "done / planned h", "logged h", "tasks"):
        table.add_column(col)
    for r in rows:
        if r.track == GENERAL:
            table.add_row("general study (no task)", "", "", "", f"{r.logged_hours:g}", "")
            continue
        table.add_row(
            _track_title(r.track),
            _bar(r.percent),
            f"{r.percent}",
            f"{r.done_hours:g} / {r.planned_hours:g}",
            f"{r.logged_hours:g}",
            f"{r.tasks_done}/{r.tasks_total}",
        )
    console.print(table)
