"""How many hours a plan needs and how they split across tracks. Pure functions.

A career switch into health tech (background track "switch") follows the 80-100 hour
preparation the seed 001_be2c56113838b31f.txt reports: 30 h clinical workflows, 20 h
regulation, 30 h a portfolio project, 20 h stakeholder-communication drills. The total
grows from 80 to 100 h with the size of the person's gaps at the target level, and each
track's share is half the seed's split and half the track's share of the gap cost, so a
nurse spends less on clinical workflows and more on the portfolio than a fintech PM does.

A promotion inside health tech (track "promotion") has no such published budget; it is sized
from the gaps themselves (HOURS_PER_GAP_STEP per missing proficiency step, must-haves
weighted) within PROMOTION_BOUNDS, and split across tracks that build evidence of the next
level's scope rather than first exposure to the domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthpm.catalog import Catalog
from healthpm.domain.assessment import Gap

SWITCH_TRACKS: dict[str, tuple[str, tuple[str, ...], int]] = {
    # track id: (title, themes it covers, seed hours)
    "clinical-workflows": ("Clinical workflows", ("healthcare-domain",), 30),
    "regulation": ("Regulation, privacy and safety", ("regulatory-privacy-safety",), 20),
    "portfolio-project": (
        "Portfolio project",
        ("product-craft", "data-evidence-outcomes", "technical-literacy"),
        30,
    ),
    "stakeholder-drills": ("Stakeholder communication drills", ("stakeholders-leadership",), 20),
}
PROMOTION_TRACKS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "scope-and-outcomes": ("Scope and outcomes", ("product-craft", "data-evidence-outcomes"), 35),
    "leadership": ("Leadership and influence", ("stakeholders-leadership",), 35),
    "domain-depth": (
        "Regulatory and clinical depth",
        ("healthcare-domain", "regulatory-privacy-safety"),
        20,
    ),
    "technical-depth": ("Technical depth", ("technical-literacy",), 10),
}
SWITCH_MIN, SWITCH_MAX = 80.0, 100.0
GAP_COST_FOR_MAX = 50.0  # gap cost (readiness points) at which a switch needs the full 100 h
MIN_TRACK_HOURS = 8.0
HOURS_PER_GAP_STEP = 6.0
PROMOTION_BOUNDS = (20.0, 120.0)


@dataclass(frozen=True)
class Budget:
    kind: str
    total: float
    tracks: dict[str, float]
    titles: dict[str, str]
    explanation: list[str]


def track_of(
    catalog: Catalog, competency: str, tracks: dict[str, tuple[str, tuple[str, ...], int]]
) -> str:
    """The track whose themes include the competency's theme."""
    theme = catalog.competencies[competency].theme
    return next(t for t, (_, themes, _) in tracks.items() if theme in themes)


def _split(total: float, base: dict[str, float], gap: dict[str, float]) -> dict[str, float]:
    base_sum, gap_sum = sum(base.values()), sum(gap.values())
    shares = {
        t: 0.5 * base[t] / base_sum + 0.5 * (gap[t] / gap_sum if gap_sum else base[t] / base_sum)
        for t in base
    }
    floor = min(MIN_TRACK_HOURS, total / (2 * len(base)))
    hours = {t: max(floor, round(total * s * 2) / 2) for t, s in shares.items()}
    largest = max(hours, key=lambda t: hours[t])
    hours[largest] = round(hours[largest] + total - sum(hours.values()), 1)
    return hours


def _gap_by_track(
    catalog: Catalog, gaps: list[Gap], tracks: dict[str, tuple[str, tuple[str, ...], int]]
) -> dict[str, float]:
    by_track = dict.fromkeys(tracks, 0.0)
    for g in gaps:
        by_track[track_of(catalog, g.competency, tracks)] += g.cost
    return by_track


def switch_budget(catalog: Catalog, gaps: list[Gap]) -> Budget:
    """80-100 h split across the seed's four tracks, shifted toward the person's gaps."""
    gap_cost = sum(g.cost for g in gaps)
    total = SWITCH_MIN + (SWITCH_MAX - SWITCH_MIN) * min(1.0, gap_cost / GAP_COST_FOR_MAX)
    total = round(total * 2) / 2
    by_track = _gap_by_track(catalog, gaps, SWITCH_TRACKS)
    base = {t: float(h) for t, (_, _, h) in SWITCH_TRACKS.items()}
    hours = _split(total, base, by_track)
    explanation = [
        f"Career switch: {total:g} h, between the 80 h and 100 h the sources give for "
        f"targeted preparation; your gaps at the target cost {gap_cost:.0f} readiness points "
        f"({GAP_COST_FOR_MAX:.0f}+ points takes the full 100 h).",
        "Each track gets half its share of the published 30/20/30/20 split and half its share "
        "of your gap cost: "
        + ", ".join(
            f"{SWITCH_TRACKS[t][0].lower()} {h:g} h (gap cost {by_track[t]:.0f})"
            for t, h in hours.items()
        )
        + ".",
    ]
    titles = {t: v[0] for t, v in SWITCH_TRACKS.items()}
    return Budget("switch", total, hours, titles, explanation)


def promotion_budget(catalog: Catalog, gaps: list[Gap]) -> Budget:
    """Sized from the gaps (steps x hours, must-haves weighted), split by evidence track."""
    steps = sum((g.expected - g.rating) * (2 if g.must_have else 1) for g in gaps)
    low, high = PROMOTION_BOUNDS
    total = round(min(high, max(low, steps * HOURS_PER_GAP_STEP)) * 2) / 2
    by_track = _gap_by_track(catalog, gaps, PROMOTION_TRACKS)
    base = {t: float(h) for t, (_, _, h) in PROMOTION_TRACKS.items()}
    hours = _split(total, base, by_track)
    explanation = [
        f"Promotion inside health tech: {total:g} h = {steps} weighted proficiency steps x "
        f"{HOURS_PER_GAP_STEP:g} h (must-haves count double), kept within "
        f"{low:g}-{high:g} h.",
        "The hours build evidence of the next level's scope: "
        + ", ".join(f"{PROMOTION_TRACKS[t][0].lower()} {h:g} h" for t, h in hours.items())
        + ".",
    ]
    titles = {t: v[0] for t, v in PROMOTION_TRACKS.items()}
    return Budget("promotion", total, hours, titles, explanation)
