"""A small catalog and a fake scoring engine, so practice tests run without the model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from healthpm.catalog import Catalog
from healthpm.domain.content import Background, Competency, Level, Question
from healthpm.domain.feedback.schema import DIMENSIONS, Feedback, FlagHit, MatchedQuestion
from healthpm.errors import InvalidInputError, NotFoundError

LEVELS = ("associate-pm", "product-manager", "senior-pm")
FILLER = " ".join(["word"] * 160)

#: id -> (category, levels, competencies)
QUESTIONS = {
    "rpm-launch": ("regulatory", LEVELS, ["fda-regulatory-strategy"]),
    "samd-pathway": ("regulatory", LEVELS[1:], ["fda-regulatory-strategy"]),
    "baa-vendor": ("privacy-security", LEVELS, ["hipaa-privacy"]),
    "ehr-alerts": ("clinical-workflow", LEVELS, ["clinical-workflow"]),
    "nurse-handoff": ("clinical-workflow", LEVELS[:2], ["clinical-workflow", "hipaa-privacy"]),
    "outcome-metric": ("metrics-outcomes", LEVELS, ["product-analytics"]),
}
#: competency -> expected rating per level
EXPECTED = {
    "fda-regulatory-strategy": (1, 2, 3),
    "hipaa-privacy": (2, 2, 3),
    "clinical-workflow": (1, 2, 3),
    "product-analytics": (2, 3, 3),
}


def _level(order: int, level_id: str) -> Level:
    return Level(
        id=level_id,
        source="test",
        name=level_id,
        order=order,
        scope="s",
        owns=["o"],
        promotion_criteria=["p"],
        typical_months_in_role={"min": 12, "max": 24},
    )


def _competency(comp_id: str, expected: tuple[int, ...]) -> Competency:
    return Competency(
        id=comp_id,
        source="test",
        name=comp_id,
        theme="product-craft",
        description="d",
        expected=dict(zip(LEVELS, expected, strict=True)),
        must_have=[],
        meets={},
        evidence_markers=["e"],
        resources=["r"],
    )


def _question(qid: str, category: str, levels: Sequence[str], comps: list[str]) -> Question:
    return Question(
        id=qid,
        source="test",
        as_of=date(2026, 12, 1),
        category=category,
        levels=list(levels),
        competencies=comps,
        prompt=f"Prompt for {qid}?",
        talking_points=["a", "b", "c", "d"],
        good_patterns=["g"],
        model_answer=FILLER,
        follow_ups=["f"],
    )


def _background() -> Background:
    return Background(
        id="tech-pm-mid",
        source="test",
        name="Tech PM",
        kind="tech",
        years_hint="3-8",
        track="switch",
        description="d",
        brings=[],
        usual_gaps=[],
        entry_levels=["senior-pm"],
        entry_roles=["PM"],
    )


def make_catalog() -> Catalog:
    """Three levels, four competencies, six questions in four categories."""
    return Catalog(
        levels={lv: _level(i, lv) for i, lv in enumerate(LEVELS)},
        competencies={c: _competency(c, e) for c, e in EXPECTED.items()},
        questions={q: _question(q, *spec) for q, spec in QUESTIONS.items()},
        salaries={},
        themes={},
        backgrounds={"tech-pm-mid": _background()},
        resources={},
        checklists={},
        transitions={},
        mistakes={},
        flags={},
        subdomains={},
        glossary={},
    )


SCORE_TAG = re.compile(r"\[score (\d(?:\.\d+)?)\]")


class FakeEngine:
    """Scores `[score X]` in the answer as X (default 3.0), with one flag on 'viral'."""

    def __init__(self, catalog: Catalog, default: float = 3.0) -> None:
        self.catalog = catalog
        self.default = default
        self.calls: list[tuple[str, str | None, str | None]] = []
        self.batches: list[int] = []

    def score(
        self, *, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        self.calls.append((answer, question_id, question_text))
        if not answer.strip():
            raise InvalidInputError("the answer is empty")
        if question_id is not None and question_id not in self.catalog.questions:
            raise NotFoundError(f"unknown question id {question_id!r}")
        tag = SCORE_TAG.search(answer)
        overall = float(tag.group(1)) if tag else self.default
        dims = {d: max(1, min(5, round(overall))) for d in DIMENSIONS}
        dims["data"] = max(1, dims["data"] - 1)
        flags = (
            [FlagHit(id="growth-framing", evidence="We will go viral.", advice="Aim at outcomes.")]
            if "viral" in answer
            else []
        )
        matched = None
        if question_id is None and question_text and "alerts" in question_text:
            matched = MatchedQuestion(id="ehr-alerts", similarity=0.81)
        return Feedback(
            overall=overall,
            dimensions=dims,
            flags=flags,
            matched_question=matched,
            talking_points={"covered": ["a"], "missing": ["b"]},
            explanation=["because"],
            rules_version="fake-1",
        )

    def score_many(self, items: Sequence[tuple[str, str | None, str | None]]) -> list[Feedback]:
        self.batches.append(len(items))
        return [self.score(answer=a, question_id=q, question_text=t) for a, q, t in items]
