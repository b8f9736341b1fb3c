"""Assemble the Feedback object and its explanation: why this score, what would raise it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from healthpm.domain.feedback.features import Analysis
from healthpm.domain.feedback.schema import (
    Feedback,
    FlagHit,
    MatchedQuestion,
    TalkingPoints,
)
from healthpm.domain.feedback.scoring import RAISE_TIPS, Scored, score

if TYPE_CHECKING:
    from healthpm.domain.feedback.rules import Rules

FEATURE_LABELS = {
    "substance": "concrete, explained mechanisms",
    "generic_share": "generic framework talk",
    "quantities": "numbers with units",
    "stakeholders": "stakeholders named",
    "incentives": "stakeholder incentives",
    "structure": "signposted structure",
    "specific": "named specifics in explanations",
    "good_cover": "safety, privacy and evidence patterns",
    "log_words": "length",
    "story": "a situation-action-result story",
    "flag_penalty": "red flags",
}


def _reasons(scored: Scored, flags: list[FlagHit]) -> list[str]:
    lines = [
        f"Overall {scored.overall:.1f}/5, computed from the parts below "
        "(weights fitted on graded answers)."
    ]
    if scored.cap_reason:
        lines.append(scored.cap_reason)
    for hit in flags:
        lines.append(f"Red flag '{hit.id}' lowers the score: \"{hit.evidence}\"")
    ranked = sorted(
        ((v, k) for k, v in scored.contributions.items() if k != "flag_penalty"), reverse=True
    )
    helped = [FEATURE_LABELS[k] for v, k in ranked[:2] if v > 0.05]
    hurt = [FEATURE_LABELS[k] for v, k in ranked[::-1][:2] if v < -0.05]
    if helped:
        lines.append("Helped most: " + ", ".join(helped) + ".")
    if hurt:
        lines.append("Held it back: " + ", ".join(hurt) + ".")
    return lines


def _raise(scored: Scored, flags: list[FlagHit], missing: list[str]) -> list[str]:
    lines = [f"To raise it: {hit.advice}" for hit in flags[:2]]
    weakest = sorted(scored.dimensions.items(), key=lambda kv: (kv[1], kv[0]))[:2]
    lines += [
        f"To raise {name} ({value}/5): {RAISE_TIPS[name]}" for name, value in weakest if value < 4
    ]
    if missing:
        lines.append("To raise it: cover the missing talking point '" + missing[0] + "'.")
    return lines


def build_feedback(
    analysis: Analysis,
    rules: Rules,
    advice: dict[str, tuple[str, str]],
    coverage: tuple[list[str], list[str]] | None,
    match: Any,
) -> Feedback:
    """Calibrated scores, flags with evidence and advice, talking points and explanation."""
    covered, missing = coverage or ([], [])
    total = len(covered) + len(missing)
    tp_share = len(covered) / total if total else None
    scored = score(analysis, rules.calibration, tp_share)
    flags = [
        FlagHit(
            id=flag_id,
            evidence=analysis.parsed.content[analysis.flags[flag_id].evidence].raw,
            advice=advice.get(flag_id, ("", flag_id))[0],
            mistake=advice.get(flag_id, ("", flag_id))[1],
            confidence=confidence,
        )
        for flag_id, confidence in sorted(scored.fired.items(), key=lambda kv: -kv[1])
    ]
    matched = MatchedQuestion(id=match.question_id, similarity=match.similarity) if match else None
    return Feedback(
        overall=scored.overall,
        dimensions=scored.dimensions,
        flags=flags,
        talking_points=TalkingPoints(covered=covered, missing=missing),
        matched_question=matched,
        explanation=_reasons(scored, flags) + _raise(scored, flags, missing),
        rules_version=rules.version,
    )
