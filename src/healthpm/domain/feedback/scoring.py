"""From an Analysis and a Calibration to fired flags, six dimensions, overall and explanation."""

from __future__ import annotations

import math
from dataclasses import dataclass

from healthpm.domain.feedback.calibration import FLAG_SOFTNESS, Calibration, flag_penalty
from healthpm.domain.feedback.features import Analysis
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

RAISE_TIPS = {
    "structure": "Signpost the answer: say how many parts it has, then walk them in order "
    "(for a story: situation, what you did, the measured result, the lesson).",
    "specificity": "Name the mechanism, not the label: who does what, with which tool, rule "
    "or code, and one concrete example.",
    "data": "Add numbers with units: a baseline, a target, a timeline, and the metric that "
    "tells you it worked.",
    "domain": "Tie the answer to healthcare specifics (workflow, evidence, regulation, "
    "reimbursement) instead of a framework that fits any industry.",
    "risk_safety": "Treat safety, regulation and privacy as design constraints: say what "
    "could harm a patient and the control that prevents it.",
    "stakeholders": "Name each affected party (patient, clinician, payer, compliance) and "
    "what they gain or pay.",
}


#: The rubric's "almost empty" answers: (fewer than N words of prose, highest overall). Too
#: short to show a mechanism, a number and who is affected, however apt the words. The graded
#: answers run 60-300 words, so these caps bind only far below what a real answer needs.
SHORT_ANSWER_CAPS = ((25, 1.5), (50, 2.5))


@dataclass(frozen=True)
class Scored:
    overall: float
    dimensions: dict[str, int]
    fired: dict[str, float]  # flag id -> confidence
    contributions: dict[str, float]
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


def scaled_features(analysis: Analysis, cal: Calibration) -> dict[str, float]:
    """Raw features scaled by the anchors, plus the flag penalty."""
    scaled = {name: cal.scale(name, value) for name, value in analysis.raw.items()}
    scores = {f: s.score for f, s in analysis.flags.items()}
    scaled["flag_penalty"] = flag_penalty(scores, cal.thresholds)
    return scaled


def dimensions(s: dict[str, float], fired: dict[str, float]) -> dict[str, int]:
    """Six 1-5 scores, each from named features (docs/feedback.md) minus fired flags."""
    safety = sum(1 for f in fired if f in SAFETY_FLAGS)
    people = sum(1 for f in fired if f in PEOPLE_FLAGS)
    stuffed = 1 if "keyword-stuffing" in fired else 0
    values = {
        "structure": _clip01(s["structure"]) * 0.8 + 0.2 * s["story"],
        "specificity": (_clip01(s["substance"]) + _clip01(s["specific"])) / 2 - 0.3 * stuffed,
        "data": (_clip01(s["quantities"]) * 2 + _clip01(s["metrics"])) / 3,
        "domain": (
            _clip01(s["substance"]) + _clip01(1 - s["generic_share"]) + _clip01(s["good_cover"])
        )
        / 3
        - 0.2 * stuffed,
        "risk_safety": _clip01(s["good_cover"]) - 0.3 * safety,
        "stakeholders": (_clip01(s["stakeholders"]) + _clip01(s["incentives"])) / 2 - 0.3 * people,
    }
    return {d: int(round(1 + 4 * _clip01(values[d]))) for d in DIMENSIONS}


def score(analysis: Analysis, cal: Calibration, tp_coverage: float | None = None) -> Scored:
    """Apply the calibration; talking-point coverage (when a bank question matched) nudges
    the overall by at most +-0.25."""
    s = scaled_features(analysis, cal)
    fired = {
        f: round(_sigmoid((fs.score - cal.threshold(f)) / FLAG_SOFTNESS), 2)
        for f, fs in analysis.flags.items()
        if fs.score >= cal.threshold(f) and fs.evidence >= 0
    }
    contributions = {k: cal.weights[k] * s[k] for k in cal.weights}
    overall = cal.overall(s)
    if tp_coverage is not None:
        overall = min(5.0, max(1.0, overall + 0.5 * (tp_coverage - 0.5)))
    cap = length_cap(analysis.parsed.content_words)
    if cap is not None and overall > cap[0]:
        return Scored(cap[0], dimensions(s, fired), fired, contributions, cap[1])
    return Scored(round(overall, 2), dimensions(s, fired), fired, contributions)
