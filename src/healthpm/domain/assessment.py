"""Placement, readiness per level, gaps ranked by cost, strengths. Pure functions.

Readiness at a level is the weighted share of that level's expectations a person meets:

    readiness(L) = 100 * sum(w_c * min(r_c, e_c)) / sum(w_c * e_c)

where e_c is the expected proficiency of competency c at L, r_c the person's rating and
w_c = MUST_HAVE_WEIGHT for the level's must-haves (1 otherwise). A gap's cost is the number
of readiness points it takes away: 100 * w_c * (e_c - r_c) / sum(w_c * e_c), so the costs of
all gaps add up to 100 minus the uncapped readiness. A must-have below its bar caps
readiness (CAP_ONE_BELOW when one step short, CAP_FAR_BELOW when two or more), because a
hiring panel does not trade a missing must-have for strengths elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile

MUST_HAVE_WEIGHT = 3
READY = 80
CAP_ONE_BELOW = 79
CAP_FAR_BELOW = 59

RatingSource = Literal["self", "background", "none"]


@dataclass(frozen=True)
class Rated:
    """A competency rating and where it came from."""

    competency: str
    rating: int
    source: RatingSource


@dataclass(frozen=True)
class Gap:
    competency: str
    rating: int
    expected: int
    cost: float
    must_have: bool
    source: RatingSource


@dataclass(frozen=True)
class LevelReadiness:
    level: str
    readiness: int
    uncapped: float
    cap: int | None
    capped_by: list[str]
    met: bool


@dataclass(frozen=True)
class Assessment:
    placement: str
    placement_met: bool
    target: str
    readiness: dict[str, LevelReadiness]
    gaps: list[Gap]
    strengths: list[Rated]
    ratings: dict[str, Rated] = field(repr=False)


def effective_ratings(profile: Profile, catalog: Catalog) -> dict[str, Rated]:
    """Self-ratings first; an unrated competency takes the background's typical rating, else 0."""
    prior = {b.competency: b.typical_rating for b in catalog.backgrounds[profile.background].brings}
    rated: dict[str, Rated] = {}
    for cid in catalog.competencies:
        if cid in profile.ratings:
            rated[cid] = Rated(cid, profile.ratings[cid], "self")
        elif cid in prior:
            rated[cid] = Rated(cid, prior[cid], "background")
        else:
            rated[cid] = Rated(cid, 0, "none")
    return rated


def _weight(catalog: Catalog, cid: str, level: str) -> int:
    return MUST_HAVE_WEIGHT if level in catalog.competencies[cid].must_have else 1


def level_readiness(catalog: Catalog, ratings: dict[str, Rated], level: str) -> LevelReadiness:
    """Readiness 0-100 at one level, with the must-have cap applied and named."""
    total = met = 0.0
    cap: int | None = None
    capped_by: list[str] = []
    for cid, comp in catalog.competencies.items():
        expected, rating = comp.expected[level], ratings[cid].rating
        w = _weight(catalog, cid, level)
        total += w * expected
        met += w * min(rating, expected)
        if level in comp.must_have and rating < expected:
            this_cap = CAP_FAR_BELOW if expected - rating >= 2 else CAP_ONE_BELOW
            cap = this_cap if cap is None else min(cap, this_cap)
            capped_by.append(cid)
    uncapped = 100.0 if total == 0 else 100.0 * met / total
    value = round(uncapped) if cap is None else min(round(uncapped), cap)
    return LevelReadiness(level, value, round(uncapped, 1), cap, capped_by, value >= READY)


def rank_gaps(catalog: Catalog, ratings: dict[str, Rated], level: str) -> list[Gap]:
    """Gaps at a level, most costly first (must-haves win ties)."""
    total = sum(
        _weight(catalog, c, level) * comp.expected[level]
        for c, comp in catalog.competencies.items()
    )
    gaps = []
    for cid, comp in catalog.competencies.items():
        expected, rated = comp.expected[level], ratings[cid]
        if rated.rating >= expected:
            continue
        w = _weight(catalog, cid, level)
        cost = 100.0 * w * (expected - rated.rating) / total if total else 0.0
        gaps.append(Gap(cid, rated.rating, expected, round(cost, 1), w > 1, rated.source))
    return sorted(gaps, key=lambda g: (-g.cost, not g.must_have, g.competency))


def strengths(catalog: Catalog, ratings: dict[str, Rated], level: str) -> list[Rated]:
    """Competencies rated 3+ that meet or beat the level's expectation, best first."""
    found = [
        r
        for cid, r in ratings.items()
        if r.rating >= 3 and r.rating >= catalog.competencies[cid].expected[level]
    ]
    return sorted(found, key=lambda r: (-r.rating, r.competency))


def assess(profile: Profile, catalog: Catalog) -> Assessment:
    """The full assessment of one profile against every level."""
    ratings = effective_ratings(profile, catalog)
    levels = catalog.levels_ascending()
    readiness = {lv.id: level_readiness(catalog, ratings, lv.id) for lv in levels}
    met_levels = [lv.id for lv in levels if readiness[lv.id].met]
    placement = met_levels[-1] if met_levels else levels[0].id
    return Assessment(
        placement=placement,
        placement_met=bool(met_levels),
        target=profile.target_level,
        readiness=readiness,
        gaps=rank_gaps(catalog, ratings, profile.target_level),
        strengths=strengths(catalog, ratings, profile.target_level),
        ratings=ratings,
    )


def assessment_json(result: Assessment) -> dict[str, object]:
    """The `healthpm assess --json` contract, plus explanatory extras."""
    return {
        "placement": result.placement,
        "placement_met": result.placement_met,
        "target": result.target,
        "readiness": {lv: r.readiness for lv, r in result.readiness.items()},
        "readiness_detail": {
            lv: {"uncapped": r.uncapped, "cap": r.cap, "capped_by": r.capped_by, "ready": r.met}
            for lv, r in result.readiness.items()
        },
        "gaps": [
            {
                "competency": g.competency,
                "rating": g.rating,
                "expected": g.expected,
                "cost": g.cost,
                "must_have": g.must_have,
                "rating_source": g.source,
            }
            for g in result.gaps
        ],
        "strengths": [{"competency": s.competency, "rating": s.rating} for s in result.strengths],
    }
