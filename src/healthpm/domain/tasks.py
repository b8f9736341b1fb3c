"""Plan tasks made from the catalog: learning, evidence, awareness and anchor activities."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace

from healthpm.catalog import Catalog
from healthpm.domain.assessment import Gap

ANCHORS = {
    "clinical-workflows": "Shadow a clinical team (or interview two clinicians) and map one "
    "workflow end to end: roles, hand-offs, systems, failure points",
    "regulation": "Classify a real product: device or not (FD&C 201(h), 520(o)), SaMD risk "
    "category, likely FDA pathway, HIPAA role; write a one-page memo",
    "portfolio-project": "Portfolio project: map a product area's failure modes from FDA data "
    "(the Workbench's failure modes) and draft a risk register",
    "stakeholder-drills": "Stakeholder drills: answer stakeholder and clinical-workflow "
    "questions in a timed mock interview and rework the weakest",
    "scope-and-outcomes": "Own a measurable outcome one level up: write the outcome, "
    "baseline, target and guardrails, and report progress monthly",
    "leadership": "Lead a cross-functional decision (clinical, regulatory, engineering) and "
    "write the decision record",
    "domain-depth": "Run a risk review with regulatory and clinical leads on your product "
    "area and close its top open risk",
    "technical-depth": "Review your product's architecture, data flows and interfaces (FHIR, "
    "HL7 v2, security) with engineering and write what you learned",
}


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    competency: str | None
    track: str
    hours: float
    kind: str
    resource: str | None = None
    url: str | None = None
    detail: str = ""
    priority: float = 0.0  # the gap's cost; higher is scheduled earlier


def _key(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def pick_resource(resources: list[str], used: set[str] | None) -> str:
    """The competency's first resource not already in the plan (one book is read once)."""
    chosen = next((r for r in resources if used is None or r not in used), resources[0])
    if used is not None:
        used.add(chosen)
    return chosen


def gap_tasks(
    catalog: Catalog,
    gap: Gap,
    track: str,
    hours: float,
    kind: str,
    target: str,
    used: set[str] | None = None,
) -> list[Task]:
    """A learning task and an evidence task that close one gap."""
    comp = catalog.competencies[gap.competency]
    resource = catalog.resources[pick_resource(comp.resources, used)]
    bar = comp.meets.get(target, "")
    learn = Task(
        _key(gap.competency, "learn", resource.id),
        f"{comp.name}: {resource.title}",
        gap.competency,
        track,
        hours,
        "learn",
        resource.id,
        resource.url,
        detail=f"The bar at the target level: {bar}" if bar else "",
        priority=gap.cost,
    )
    if hours < 0.5:  # too little time for two tasks: learning only
        return [learn]
    learn_hours = max(0.25, min(resource.hours, math.floor(hours * 2) / 4))
    verb = "stretch assignment" if kind == "promotion" else "build evidence"
    evidence = Task(
        _key(gap.competency, "evidence"),
        f"{comp.name}: {verb}: {comp.evidence_markers[0]}",
        gap.competency,
        track,
        hours - learn_hours,
        "evidence",
        detail=learn.detail,
        priority=gap.cost,
    )
    return [replace(learn, hours=learn_hours), evidence]


def awareness_task(
    catalog: Catalog, competency: str, track: str, hours: float = 1.0, used: set[str] | None = None
) -> Task:
    """Orientation (about an hour) for a competency rated 0 that the target does not require."""
    comp = catalog.competencies[competency]
    resource = catalog.resources[pick_resource(comp.resources, used)]
    return Task(
        _key(competency, "aware", resource.id),
        f"{comp.name}: orientation with {resource.title}",
        competency,
        track,
        hours,
        "awareness",
        resource.id,
        resource.url,
    )


def anchor_task(track: str, kind: str, hours: float) -> Task:
    """The track's closing activity, which takes the hours the gap tasks left."""
    return Task(_key(track, kind, "anchor"), ANCHORS[track], None, track, hours, "anchor")
