"""Where a person stands, in plain words, and their way in. Pure functions over the catalog.

Two axes, because one readiness number hides the story of most people moving into health
tech: *product craft* (discovery, roadmaps, delivery, stakeholders and leadership) and the
*health domain* (clinical workflow, regulation, privacy, evidence, health data). An
experienced consumer PM is often senior-ready on the first and new to the second; a nurse the
other way round. Each axis is placed at the highest level whose bar every one of its
competencies meets.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthpm.catalog import Catalog
from healthpm.domain.assessment import Assessment, Gap, effective_ratings
from healthpm.domain.content import Transition
from healthpm.domain.profile import Profile

CRAFT_THEMES = frozenset({"product-craft", "stakeholders-leadership"})


@dataclass(frozen=True)
class Axis:
    name: str
    level: str | None  # the highest level whose bar every competency of the axis meets
    gaps: list[Gap]  # the axis's gaps at the target, costliest first

    @property
    def ready_for_target(self) -> bool:
        return not self.gaps


@dataclass(frozen=True)
class Path:
    headline: str
    craft: Axis
    domain: Axis
    transitions: list[Transition]
    roles: list[str]
    entry_levels: list[str]
    next_steps: list[str]


def is_craft(catalog: Catalog, competency: str) -> bool:
    return catalog.competencies[competency].theme in CRAFT_THEMES


def _axis_level(catalog: Catalog, profile: Profile, craft: bool) -> str | None:
    ratings = effective_ratings(profile, catalog)
    best = None
    for level in catalog.levels_ascending():
        comps = [c for c in catalog.competencies if is_craft(catalog, c) == craft]
        if all(ratings[c].rating >= catalog.competencies[c].expected[level.id] for c in comps):
            best = level.id
        else:
            break
    return best


def _axis(catalog: Catalog, profile: Profile, result: Assessment, craft: bool) -> Axis:
    name = "Product craft" if craft else "Health domain"
    gaps = [g for g in result.gaps if is_craft(catalog, g.competency) == craft]
    return Axis(name, _axis_level(catalog, profile, craft), gaps)


def _names(catalog: Catalog, gaps: list[Gap], limit: int = 3) -> str:
    names = [catalog.competencies[g.competency].name for g in gaps[:limit]]
    more = len(gaps) - limit
    text = ", ".join(names)
    return text + (f" and {more} more" if more > 0 else "")


def headline(catalog: Catalog, result: Assessment, craft: Axis, domain: Axis) -> str:
    """One sentence that says where the person stands; never 'you meet no level' alone."""
    target = catalog.levels[result.target].name
    if not result.gaps:
        return f"You meet the {target} bar on every competency: you are ready to apply."
    if craft.level is not None and craft.ready_for_target:
        return (
            f"Your product craft already meets the {catalog.levels[craft.level].name} bar; "
            f"what stands between you and {target} is health-domain knowledge: "
            f"{_names(catalog, domain.gaps)}."
        )
    if domain.ready_for_target:
        return (
            f"Your health-domain knowledge meets the {target} bar; "
            f"the product craft to build is {_names(catalog, craft.gaps)}."
        )
    points = round(sum(g.cost for g in result.gaps[:3]))
    return (
        f"Closing your three costliest gaps ({_names(catalog, result.gaps)}) adds about "
        f"{points} readiness points toward {target}."
    )


def build_path(profile: Profile, result: Assessment, catalog: Catalog) -> Path:
    """The person's standing on both axes, their transition steps and roles to aim at."""
    craft = _axis(catalog, profile, result, craft=True)
    domain = _axis(catalog, profile, result, craft=False)
    background = catalog.backgrounds[profile.background]
    transitions = [t for t in catalog.transitions.values() if profile.background in t.backgrounds]
    steps = [
        f"Close {catalog.competencies[g.competency].name}: "
        f"from {g.rating} to {g.expected} (adds {g.cost:g} readiness points)"
        for g in result.gaps[:3]
    ]
    return Path(
        headline(catalog, result, craft, domain),
        craft,
        domain,
        transitions,
        list(background.entry_roles),
        list(background.entry_levels),
        steps,
    )
