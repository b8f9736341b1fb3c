"""Story bank service: check, tag, score and store stories; list, edit, delete; gaps.

Keyword-only, take the session and never commit. The PHI guard runs before anything is
stored; tagging (the sentence encoder) and scoring (the feedback engine) are injected.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.catalog import Catalog
from healthpm.db import get_by_id, utcnow
from healthpm.domain.stories.gaps import Gap, story_gaps
from healthpm.domain.stories.star import PARTS, StoryText
from healthpm.domain.stories.tagging import Tagger
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice import phi
from healthpm.practice.scoring import ScoringEngine, check_answer
from healthpm.practice.service import PhiChoice, PhiFoundError
from healthpm.stories.models import Story

#: Asked when no bank question fits the story well, so the engine scores on its general rubric.
GENERIC_PROMPT = (
    "Tell me about a time you made a difference at work: the situation, your task, "
    "what you did and the result."
)
_NUMBER = re.compile(r"\d")


def guard_phi(story: StoryText, *, phi_choice: PhiChoice | None) -> tuple[StoryText, bool]:
    """The story as it may be stored, and whether it was redacted; PhiFoundError without a
    choice when any part (or the title) looks like protected health information."""
    texts = {"title": story.title, **{p: story.part(p) for p in PARTS}}
    warnings = phi.warnings_for("\n\n".join(texts.values()))
    if not warnings:
        return story, False
    if phi_choice is None:
        raise PhiFoundError(warnings)
    if phi_choice == "keep":
        return story, False
    clean = {k: phi.redact(v) for k, v in texts.items()}
    redacted = StoryText.of(
        clean["title"], clean, background=story.background, notes=list(story.notes)
    )
    return replace(redacted, split_from_free_text=story.split_from_free_text), True


@dataclass(frozen=True)
class Analysis:
    """What tagging and scoring found for a story."""

    data: dict[str, Any]
    feedback: dict[str, Any]
    score: float


def _checks(story: StoryText, dims: dict[str, int]) -> list[dict[str, Any]]:
    """The rubric's three story questions: result measured? stakeholders? safety?"""
    measured = bool(_NUMBER.search(story.result))
    return [
        {
            "id": "result-measured",
            "ok": measured,
            "line": "the result carries a number"
            if measured
            else "the result has no number: say what changed, by how much, by when",
        },
        {
            "id": "stakeholders",
            "ok": dims.get("stakeholders", 0) >= 3,
            "line": f"stakeholders {dims.get('stakeholders', '-')}/5: name who you brought "
            "along (clinicians, patients, compliance, payers) and how",
        },
        {
            "id": "safety",
            "ok": dims.get("risk_safety", 0) >= 3,
            "line": f"risk and safety {dims.get('risk_safety', '-')}/5: say what could have "
            "harmed a patient or their data and how you guarded it",
        },
    ]


def analyse(
    story: StoryText, *, tagger: Tagger, engine: ScoringEngine, catalog: Catalog
) -> Analysis:
    """Tag the story's competencies, questions and translations, then score it."""
    text = story.full_text()
    check_answer(text)
    proofs, questions, translations = tagger.tag(story)
    if questions and questions[0].id in catalog.questions:
        feedback = engine.score(answer=text, question_id=questions[0].id)
    else:
        feedback = engine.score(answer=text, question_text=GENERIC_PROMPT)
    dims = dict(feedback.dimensions)
    data = {
        "competencies": [asdict(p) for p in proofs],
        "questions": [asdict(q) for q in questions],
        "translations": [asdict(t) for t in translations],
        "missing": story.missing,
        "checks": _checks(story, dims),
        "notes": list(story.notes),
        "scored_against": questions[0].id if questions else None,
    }
    fb = feedback.model_dump(mode="json")
    return Analysis(data, fb, float(feedback.overall))


def add_story(
    session: Session, *, user_id: int, story: StoryText, analysis: Analysis, redacted: bool
) -> Story:
    """Store a checked and analysed story."""
    row = Story(user_id=user_id, redacted=redacted)
    _fill(row, story, analysis)
    session.add(row)
    session.flush()
    return row


def _fill(row: Story, story: StoryText, analysis: Analysis) -> None:
    row.title = story.title[:200] or "Untitled story"
    for part in PARTS:
        setattr(row, part, story.part(part))
    row.background = story.background
    row.analysis = analysis.data
    row.feedback = analysis.feedback
    row.score = round(analysis.score, 2)
    row.updated_at = utcnow()


def update_story(
    session: Session, *, row: Story, story: StoryText, analysis: Analysis, redacted: bool
) -> Story:
    """Replace a story's parts (re-tagged and re-scored)."""
    _fill(row, story, analysis)
    row.redacted = row.redacted or redacted
    session.flush()
    return row


def story_text(row: Story) -> StoryText:
    """The stored story as a StoryText (for editing)."""
    parts = {p: getattr(row, p) for p in PARTS}
    return StoryText.of(row.title, parts, background=row.background)


def list_stories(session: Session, *, user_id: int, question_id: str | None = None) -> list[Story]:
    """The user's stories, newest first; only those answering a question when one is given."""
    rows = list(
        session.scalars(
            select(Story)
            .where(Story.user_id == user_id)
            .order_by(Story.updated_at.desc(), Story.id.desc())
        )
    )
    if question_id is None:
        return rows
    return [r for r in rows if question_id in question_ids(r)]


def get_story(session: Session, *, user_id: int, story_id: int) -> Story:
    """One story of this user, or NotFoundError (also for another user's story)."""
    row = get_by_id(session, Story, story_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"no story {story_id}; list yours with `healthpm story list`")
    return row


def delete_story(session: Session, *, user_id: int, story_id: int) -> None:
    """Delete one of the user's stories."""
    session.delete(get_story(session, user_id=user_id, story_id=story_id))
    session.flush()


def competency_ids(row: Story) -> list[str]:
    return [c["competency"] for c in (row.analysis or {}).get("competencies", [])]


def question_ids(row: Story) -> list[str]:
    return [q["id"] for q in (row.analysis or {}).get("questions", [])]


def story_dict(row: Story, *, full: bool = False) -> dict[str, Any]:
    """The `story list --json` contract; `full` adds the parts and the explanations."""
    analysis = row.analysis or {}
    out: dict[str, Any] = {
        "id": row.id,
        "title": row.title,
        "competencies": competency_ids(row),
        "questions": question_ids(row),
        "score": row.score,
        "missing": analysis.get("missing", []),
        "redacted": row.redacted,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }
    if full:
        out |= {p: getattr(row, p) for p in PARTS}
        out |= {
            "background": row.background,
            "evidence": analysis.get("competencies", []),
            "question_matches": analysis.get("questions", []),
            "translations": analysis.get("translations", []),
            "checks": analysis.get("checks", []),
            "notes": analysis.get("notes", []),
            "feedback": row.feedback,
        }
    return out


def gaps_for(
    session: Session, *, user_id: int, catalog: Catalog, level: str
) -> tuple[list[Gap], list[str]]:
    """(gaps, proven competency ids) for a target level over all the user's stories."""
    if level not in catalog.levels:
        raise InvalidInputError(f"unknown level {level!r}")
    proven = sorted({c for r in list_stories(session, user_id=user_id) for c in competency_ids(r)})
    return story_gaps(catalog, level=level, proven=proven), proven
