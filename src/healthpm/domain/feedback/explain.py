"""The score and explain stages: from a Prepared answer to the Feedback contract object.

"Why this score" is the contributions arithmetic, line by line; "what would raise it" names
only what this answer lacks: advice for each fired flag, a talking point that is clearly
missing, and the named parts that pulled it furthest below a typical answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from healthpm.domain.feedback.features import STUFFING
from healthpm.domain.feedback.pipeline import Prepared
from healthpm.domain.feedback.relevance import OFF_TOPIC_CAP
from healthpm.domain.feedback.schema import (
    Contribution,
    Feedback,
    FlagHit,
    MatchedQuestion,
    PossibleFlag,
    ReadsAs,
    TalkingPoints,
)
from healthpm.domain.feedback.scoring import Scored, score
from healthpm.domain.feedback.text import Sentence

if TYPE_CHECKING:
    from healthpm.domain.feedback.rules import Rules

UNCENTRED = frozenset({"red_flags", "keyword_stuffing"})

#: Tips for the named parts, used only when the part cost this answer points.
PART_TIPS = {
    "substance": "Name the mechanism, not the label: who does what, with which tool, rule "
    "or code, and one concrete example.",
    "quantities": "Add numbers with units: a baseline, a target, a timeline.",
    "metrics": "Say which metric tells you it worked, against what baseline or comparison.",
    "stakeholders": "Name each affected party (patient, clinician, payer, compliance).",
    "incentives": "Say what each party gains or pays (time, money, risk).",
    "structure": "Signpost the answer: say how many parts it has, then walk them in order.",
    "good_cover": "Treat safety, regulation and privacy as design constraints: say what "
    "could harm a patient and the control that prevents it.",
    "explains": "Give the reason for each step (because..., so that...).",
    "question_fit": "Answer the question as asked before widening it.",
    "talking_points": "Cover more of this question's talking points.",
    "generic_share": "Replace framework talk with healthcare specifics (workflow, evidence, "
    "regulation, reimbursement).",
    "stuffing_lex": "Explain each term you name: what it requires and what changes because of it.",
}


def _longest_list(sentences: list[Sentence]) -> str:
    """The pasted term list with the most terms: one sentence, or a run of bare fragments."""
    best, best_terms = "", 0
    run: list[Sentence] = []
    for s in [*sentences, None]:
        if s is not None and not s.text and s.list_terms:
            run.append(s)
            continue
        if run and sum(r.list_terms for r in run) > best_terms:
            best, best_terms = ", ".join(r.raw for r in run), sum(r.list_terms for r in run)
        run = []
        if s is not None and s.list_terms > best_terms:
            best, best_terms = s.raw, s.list_terms
    return best


def _evidence(prepared: Prepared, flag_id: str) -> str:
    """The sentence that shows a flag; for keyword stuffing, the pasted list if there is one."""
    parsed = prepared.parsed
    if flag_id == STUFFING and parsed.list_terms:
        listed = _longest_list(parsed.sentences)
        if listed:
            return listed
    index = prepared.analysis.flags[flag_id].evidence
    return parsed.content[index].raw if 0 <= index < len(parsed.content) else ""


def _reasons(
    scored: Scored, contributions: list[Contribution], means: dict[str, float]
) -> list[str]:
    lines = [f"Overall {scored.overall:.2f}/5 = the sum of the parts below."]
    for c in contributions:
        note = ""
        if c.part in means and c.part in scored.values and c.part not in UNCENTRED:
            more = scored.values[c.part] > means[c.part]
            note = f" ({'more' if more else 'less'} than a typical answer)"
        lines.append(f"{c.points:+.2f}  {c.label}{note}")
    if scored.cap_reason:
        lines.append(scored.cap_reason)
    return lines


def _raise(scored: Scored, flags: list[FlagHit], missing: list[str]) -> list[str]:
    lines = [f"To raise it: {hit.advice}" for hit in flags[:2]]
    if missing:
        lines.append(f"To raise it: make the talking point '{missing[0]}'.")
    weakest = sorted(
        (c.points, c.part) for c in scored.contributions if c.part in PART_TIPS and c.points < 0
    )
    lines += [f"To raise it: {PART_TIPS[part]}" for points, part in weakest[:2] if points <= -0.1]
    return lines


def build_feedback(
    prepared: Prepared,
    rules: Rules,
    advice: dict[str, tuple[str, str]],
    questions: dict[str, Any],
) -> Feedback:
    """Score the prepared answer with the shipped calibration and assemble the Feedback."""
    verdict = prepared.relevance
    scored = score(
        prepared.analysis,
        rules.calibration,
        prepared.content_vector,
        prepared.relations(),
        None if verdict.on_topic else OFF_TOPIC_CAP,
    )
    flags = [
        FlagHit(
            id=flag_id,
            evidence=_evidence(prepared, flag_id),
            advice=advice.get(flag_id, ("", flag_id))[0],
            mistake=advice.get(flag_id, ("", flag_id))[1],
            confidence=confidence,
        )
        for flag_id, confidence in sorted(scored.fired.items(), key=lambda kv: -kv[1])
    ]
    possible = [
        PossibleFlag(id=f, evidence=_evidence(prepared, f), read_as=other)
        for f, other in scored.possible.items()
    ]
    question = prepared.question
    matched = (
        MatchedQuestion(id=question.bank_id, similarity=question.similarity)
        if question.bank_id is not None
        else None
    )
    reads_as = None
    if verdict.reads_as is not None and verdict.reads_as in questions:
        reads_as = ReadsAs(id=verdict.reads_as, prompt=str(questions[verdict.reads_as].prompt))
    cov = prepared.coverage
    points = (
        TalkingPoints(covered=cov.covered, partly=cov.partly, missing=cov.missing)
        if cov is not None
        else TalkingPoints()
    )
    contributions = [
        Contribution(part=c.part, points=c.points, label=c.label) for c in scored.contributions
    ]
    explanation = _reasons(scored, contributions, rules.calibration.means)
    if not verdict.on_topic:
        explanation.insert(0, "This answer does not address the question asked.")
    else:
        explanation += _raise(scored, flags, points.missing)
    return Feedback(
        overall=scored.overall,
        on_topic=verdict.on_topic,
        reads_as=reads_as,
        basis="bank" if question.bank_id is not None else "general",
        dimensions=scored.dimensions,
        contributions=contributions,
        flags=flags,
        possible_flags=possible,
        talking_points=points,
        matched_question=matched,
        explanation=explanation,
        rules_version=rules.version,
    )
