"""A fake scoring engine for web tests: deterministic, instant, no embedding model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from healthpm.catalog import Catalog
from healthpm.domain.feedback.schema import (
    DIMENSIONS,
    Feedback,
    FlagHit,
    MatchedQuestion,
    PossibleFlag,
)

#: word in the answer -> flag the fake raises, with the sentence holding the word as evidence
TRIGGERS = {"engagement": "growth-framing", "encrypted": "hipaa-checkbox"}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


class FakeEngine:
    """Scores by length; flags the sentence that holds a trigger word."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def score(
        self, *, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        words = len(answer.split())
        base = max(1, min(5, 1 + words // 40))
        flags = [
            FlagHit(
                id=flag,
                evidence=sentence,
                advice="Name outcomes and safety, not usage.",
                mistake=flag if flag in self.catalog.mistakes else None,
            )
            for sentence in _sentences(answer)
            for word, flag in TRIGGERS.items()
            if word in sentence.lower()
        ]
        # A flagged sentence that also says "overall" is read as its flag, not as equity-blind.
        possible = [
            PossibleFlag(id="equity-blind", evidence=f.evidence, read_as=f.id)
            for f in flags
            if "overall" in f.evidence.lower()
        ]
        points = self.catalog.questions[question_id].talking_points if question_id else []
        off = "off topic" in answer.lower()
        overall = 1.5 if off else float(max(1, base - len(flags)))
        other = next(iter(self.catalog.questions.values()))
        return Feedback(
            overall=overall,
            on_topic=not off,
            reads_as={"id": other.id, "prompt": other.prompt} if off else None,
            basis="bank" if question_id else "general",
            contributions=[
                {"part": "typical", "points": 3.0, "label": "a typical graded answer"},
                {"part": "content", "points": overall - 3.0, "label": "what the answer says"},
            ],
            dimensions={d: base for d in DIMENSIONS},
            flags=flags,
            possible_flags=possible,
            talking_points={"covered": points[:1], "missing": points[1:]},
            matched_question=MatchedQuestion(id=question_id, similarity=1.0)
            if question_id
            else None,
            explanation=["length-based fake score"],
            rules_version="fake",
        )

    def score_many(self, items: Sequence[tuple[str, str | None, str | None]]) -> list[Feedback]:
        return [self.score(answer=a, question_id=q, question_text=t) for a, q, t in items]
