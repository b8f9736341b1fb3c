"""The score stage: fired flags, the overall as a sum of contributions, six dimensions.

The overall is exactly the sum of `contributions` (each rounded to 0.01): a typical graded
answer's score, the embedding ridge's part ("what the answer says"), each named part, a cost
per fired red flag, the ordinal grade-scale adjustment and any cap (almost empty, off topic).
Unfired flags cost nothing; those within POSSIBLE_MARGIN of firing are reported as possible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from healthpm.domain.feedback.calibration import (
    FLAG_READING_WEIGHT,
    PART_NAMES,
    Calibration,
    ordinal_map,
)
from healthpm.domain.feedback.features import STUFFING, Analysis
from healthpm.domain.feedback.schema import DIMENSIONS

SAFETY_FLAGS = frozenset(
    {
        "hipaa-checkbox",
        "unsafe-experimentation",
        "regulatory-afterthought",
        "accuracy-without-error-costs",
    }
)
PEOPLE_FLAGS = frozenset({"single-stakeholder", "clinician-as-target", "equity-blind"})
#: A flag scoring within this of its threshold is shown as "possible" (and costs nothing).
POSSIBLE_MARGIN = 0.05
FLAG_SOFTNESS = 0.04

#: The rubric's "almost empty" answers: (fewer than N words of prose, highest overall).
SHORT_ANSWER_CAPS = ((25, 1.5), (50, 2.5))

#: Human labels of the contribution parts (the page's "why this score").
PART_LABELS = {
    "typical": "a typical graded answer",
    "content": "what the answer says, compared with graded answers",
    "substance": "concrete, explained mechanisms",
    "quantities": "numbers with units",
    "metrics": "metrics, baselines and comparisons",
    "specific": "named specifics inside explanations",
    "stakeholders": "stakeholders named",
    "incentives": "stakeholder incentives",
    "structure": "signposted structure",
    "story": "a situation-action-result story",
    "good_cover": "safety, privacy and evidence patterns",
    "explains": "explained reasoning (because, so that)",
    "question_fit": "how closely it addresses the question",
    "talking_points": "the question's talking points covered",
    "model_answer": "closeness to the bank's model answer",
    "generic_share": "generic framework talk",
    "stuffing_lex": "unexplained terms and pasted term lists",
    "red_flags": "red flags",
    "keyword_stuffing": "keyword stuffing",
    "scale": "fit to the 1-5 grade scale",
    "cap": "cap",
}


@dataclass(frozen=True)
class Contribution:
    part: str
    points: float
    label: str


@dataclass(frozen=True)
class Scored:
    overall: float
    dimensions: dict[str, int]
    fired: dict[str, float]  # flag id -> confidence
    #: flag id -> the fired flag its sentence is read as instead (None: it came close to firing)
    possible: dict[str, str | None]
    contributions: list[Contribution]
    values: dict[str, float] = field(default_factory=dict)
    cap_reason: str = ""


def length_cap(content_words: int) -> tuple[float, str] | None:
    """The highest overall an answer this short can get, with the reason, or None."""
    for limit, cap in SHORT_ANSWER_CAPS:
        if content_words < limit:
            return cap, (
                f"Capped at {cap:g}: {content_words} words of prose are too few to show a "
                "mechanism, a number and who is affected."
            )
    return None


def _clip01(value: float) -> float:
    return min(1.0, max(0.0, value))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def flag_score(analysis: Analysis, flag_id: str, reading: dict[str, float]) -> float:
    """The score a flag's threshold applies to: its best sentence's score plus the weighted
    kernel reading of the whole answer for that flag (calibration.FLAG_READING_WEIGHT)."""
    return analysis.flags[flag_id].score + FLAG_READING_WEIGHT * reading.get(flag_id, 0.0)


def fired_flags(
    analysis: Analysis, cal: Calibration, reading: dict[str, float]
) -> tuple[dict[str, float], dict[str, str | None]]:
    """(fired flag -> confidence, possible flags): thresholds from the calibration;
    `reading` is the content model's reading of the answer (Calibration.reading)."""
    fired: dict[str, float] = {}
    possible: dict[str, str | None] = {}
    claims: dict[int, tuple[tuple[bool, float], str]] = {}  # evidence sentence -> strongest
    for flag_id, fs in analysis.flags.items():
        if fs.evidence < 0:
            continue
        t = cal.threshold(flag_id)
        value = flag_score(analysis, flag_id, reading)
        if value >= t or fs.defined:
            # A sentence that states the anti-pattern outright is sure evidence.
            sure = 1.0 if fs.defined else _sigmoid((value - t) / FLAG_SOFTNESS)
            fired[flag_id] = round(sure, 2)
            if flag_id == STUFFING:
                continue
            # One sentence, one mistake: when two flags quote the same sentence, it is read as
            # the one it shows most clearly (a definition match first, then the larger margin
            # over its threshold); the other is shown as possible and costs nothing.
            strength = (fs.defined, value - t)
            held = claims.get(fs.evidence)
            if held is None or strength > held[0]:
                claims[fs.evidence] = (strength, flag_id)
        elif value >= t - POSSIBLE_MARGIN:
            possible[flag_id] = None
    for flag_id, fs in analysis.flags.items():
        if flag_id in fired and flag_id != STUFFING and claims[fs.evidence][1] != flag_id:
            del fired[flag_id]
            possible[flag_id] = claims[fs.evidence][1]
    return fired, possible


def part_values(
    analysis: Analysis,
    cal: Calibration,
    fired: dict[str, float],
    extra: dict[str, float],
) -> dict[str, float]:
    """Values of the named parts: scaled features, question relations and flag counts.

    `extra` holds the question relations (question_fit, and for bank questions
    talking_points and model_answer); a part absent from it takes the training mean (no
    points), which is how general questions are scored.
    """
    values = {name: cal.scale(name, value) for name, value in analysis.raw.items()}
    values.update(extra)
    values["red_flags"] = float(sum(1 for f in fired if f != STUFFING))
    values["keyword_stuffing"] = 1.0 if STUFFING in fired else 0.0
    return {k: v for k, v in values.items() if k in PART_NAMES or k in _DIMENSION_INPUTS}


_DIMENSION_INPUTS = frozenset(
    {"substance", "specific", "quantities", "metrics", "generic_share", "good_cover"}
    | {"stakeholders", "incentives", "structure", "story"}
)


def dimensions(s: dict[str, float], fired: dict[str, float]) -> dict[str, int]:
    """Six 1-5 scores, each from named features (docs/feedback.md) minus fired flags."""
    safety = sum(1 for f in fired if f in SAFETY_FLAGS)
    people = sum(1 for f in fired if f in PEOPLE_FLAGS)
    stuffed = 1 if STUFFING in fired else 0
    g = s.get
    values = {
        "structure": _clip01(g("structure", 0)) * 0.8 + 0.2 * _clip01(g("story", 0)),
        "specificity": (_clip01(g("substance", 0)) + _clip01(g("specific", 0))) / 2 - 0.3 * stuffed,
        "data": (_clip01(g("quantities", 0)) * 2 + _clip01(g("metrics", 0))) / 3,
        "domain": (
            _clip01(g("substance", 0))
            + _clip01(1 - g("generic_share", 0))
            + _clip01(g("good_cover", 0))
        )
        / 3
        - 0.2 * stuffed,
        "risk_safety": _clip01(g("good_cover", 0)) - 0.3 * safety,
        "stakeholders": (_clip01(g("stakeholders", 0)) + _clip01(g("incentives", 0))) / 2
        - 0.3 * people,
    }
    return {d: int(round(1 + 4 * _clip01(values[d]))) for d in DIMENSIONS}


def score(
    analysis: Analysis,
    cal: Calibration,
    vector: np.ndarray,
    extra: dict[str, float],
    off_topic_cap: float | None = None,
) -> Scored:
    """Fired flags, the overall as a sum of contributions, and the six dimensions."""
    reading = cal.reading(vector)
    fired, possible = fired_flags(analysis, cal, reading)
    values = part_values(analysis, cal, fired, extra)
    raw_parts = {"typical": cal.intercept, "content": cal.content_points(reading)}
    raw_parts.update(cal.part_points(values))
    parts = [(k, round(v, 2)) for k, v in raw_parts.items() if abs(v) >= 0.005]
    linear = sum(v for _, v in parts)
    # The grade-scale map is applied before the keyword-stuffing cost, so a pasted list costs
    # exactly its (bounded) points and the map's slope between close cut points cannot
    # enlarge it.
    stuffing = dict(parts).get("keyword_stuffing", 0.0)
    target = min(5.0, max(1.0, ordinal_map(linear - stuffing, cal.cuts) + stuffing))
    reason = ""
    cap = length_cap(analysis.parsed.content_words)
    caps: list[tuple[float, str]] = [cap] if cap else []
    if off_topic_cap is not None:
        caps.append(
            (
                off_topic_cap,
                f"Capped at {off_topic_cap:g}: the answer does not address the question.",
            )
        )
    capped = target
    for limit, why in caps:
        if capped > limit:
            capped, reason = limit, why
    scale = round(round(target, 2) - linear, 2)
    if abs(scale) >= 0.005:
        parts.append(("scale", scale))
    if capped < target:
        parts.append(("cap", round(round(capped, 2) - round(target, 2), 2)))
    overall = round(sum(v for _, v in parts), 2)
    contributions = [Contribution(k, v, PART_LABELS.get(k, k)) for k, v in parts]
    return Scored(
        overall=min(5.0, max(1.0, overall)),
        dimensions=dimensions(values, fired),
        fired=fired,
        possible=possible,
        contributions=contributions,
        values=values,
        cap_reason=reason,
    )
