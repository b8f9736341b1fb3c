"""Practice service: score and store attempts, history, review scheduling and the due queue.

Functions are keyword-only, take the session and never commit: the CLI command or web
request is the one transaction boundary. The scoring engine is injected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from fsrs import Rating
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from healthpm.catalog import Catalog
from healthpm.db import get_by_id, utcnow
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.limits import MAX_QUESTION_CHARS
from healthpm.practice import phi, scheduling
from healthpm.practice.models import Attempt, ReviewCard
from healthpm.practice.scoring import ScoringEngine, check_answer

PhiChoice = Literal["redact", "keep"]


class PhiFoundError(InvalidInputError):
    """The answer seems to hold protected health information and no choice was made."""

    def __init__(
        self, warnings: list[str], hint: str = "remove it, or choose to redact it or keep it"
    ) -> None:
        self.warnings = warnings
        super().__init__(
            "the answer looks like it contains protected health information ("
            + "; ".join(warnings)
            + f"); nothing was stored; {hint}"
        )


@dataclass(frozen=True)
class ScoredAnswer:
    """Feedback for an answer, and the answer text as it may be stored."""

    feedback: Feedback
    answer: str
    redacted: bool
    question_id: str | None
    question_text: str


def resolve_question(
    catalog: Catalog, *, question_id: str | None, question_text: str | None
) -> tuple[str | None, str]:
    """(id, prompt) of a bank question, or (None, text) for a free-text question."""
    if (question_id is None) == (question_text is None):
        raise InvalidInputError("give either a question id or a question text, not both")
    if question_id is not None:
        return question_id, str(catalog.get("questions", question_id).prompt)
    text = (question_text or "").strip()
    if not text:
        raise InvalidInputError("the question text is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidInputError(f"the question may have at most {MAX_QUESTION_CHARS:,} characters")
    return None, text


@dataclass(frozen=True)
class PreparedAnswer:
    """An answer that passed validation and the PHI guard, ready to score."""

    text: str
    redacted: bool
    warnings: list[str]
    question_id: str | None
    question_text: str


def prepare_answer(
    catalog: Catalog,
    *,
    answer: str,
    question_id: str | None = None,
    question_text: str | None = None,
    phi_choice: PhiChoice | None = None,
    require_choice: bool = True,
) -> PreparedAnswer:
    """Validate the answer and question, then run the PHI guard; cheap, no model needed.

    With `require_choice`, PHI found without a choice raises PhiFoundError. With
    phi_choice "redact", the text to score and store is the redacted one.
    """
    check_answer(answer)
    qid, prompt = resolve_question(catalog, question_id=question_id, question_text=question_text)
    warnings = phi.warnings_for(answer)
    if warnings and phi_choice is None and require_choice:
        raise PhiFoundError(warnings)
    redacted = bool(warnings) and phi_choice == "redact"
    text = phi.redact(answer) if redacted else answer
    return PreparedAnswer(text, redacted, warnings, qid, prompt)


def score_prepared(engine: ScoringEngine, prepared: PreparedAnswer) -> ScoredAnswer:
    """Score a prepared answer; the feedback carries the PHI warnings."""
    if prepared.question_id is not None:
        feedback = engine.score(answer=prepared.text, question_id=prepared.question_id)
    else:
        feedback = engine.score(answer=prepared.text, question_text=prepared.question_text)
    feedback = feedback.model_copy(update={"phi_warning": prepared.warnings or None})
    return ScoredAnswer(
        feedback, prepared.text, prepared.redacted, prepared.question_id, prepared.question_text
    )


def score_answer(
    engine: ScoringEngine,
    catalog: Catalog,
    *,
    answer: str,
    question_id: str | None = None,
    question_text: str | None = None,
    phi_choice: PhiChoice | None = None,
    require_choice: bool = True,
) -> ScoredAnswer:
    """prepare_answer then score_prepared: PHI check first, then the engine."""
    prepared = prepare_answer(
        catalog,
        answer=answer,
        question_id=question_id,
        question_text=question_text,
        phi_choice=phi_choice,
        require_choice=require_choice,
    )
    return score_prepared(engine, prepared)


def card_question_id(scored: ScoredAnswer) -> str | None:
    """The bank question a review card tracks: the given id, else the matched one."""
    if scored.question_id is not None:
        return scored.question_id
    matched = scored.feedback.matched_question
    return matched.id if matched is not None else None


def record_attempt(
    session: Session,
    *,
    engine: ScoringEngine,
    catalog: Catalog,
    user_id: int,
    answer: str,
    question_id: str | None = None,
    question_text: str | None = None,
    phi_choice: PhiChoice | None = None,
    time_taken_s: float | None = None,
    mock_id: int | None = None,
    now: datetime | None = None,
    profile_name: str | None = None,
) -> Attempt:
    """Score an answer, store the attempt and update the question's review card.

    PHI check first: PhiFoundError (nothing stored) unless `phi_choice` is "redact" (store
    the redacted answer, marked) or "keep" (store it as written, with the warnings).
    """
    scored = score_answer(
        engine,
        catalog,
        answer=answer,
        question_id=question_id,
        question_text=question_text,
        phi_choice=phi_choice,
    )
    return store_scored(
        session,
        user_id=user_id,
        scored=scored,
        time_taken_s=time_taken_s,
        mock_id=mock_id,
        now=now,
        profile_name=profile_name,
    )


def store_scored(
    session: Session,
    *,
    user_id: int,
    scored: ScoredAnswer,
    time_taken_s: float | None = None,
    mock_id: int | None = None,
    now: datetime | None = None,
    profile_name: str | None = None,
) -> Attempt:
    """Store an already scored answer and review its question at the score's rating."""
    now = now or utcnow()
    card_qid = card_question_id(scored)
    attempt = Attempt(
        user_id=user_id,
        question_id=card_qid,
        question_text=scored.question_text,
        answer=scored.answer,
        feedback=scored.feedback.model_dump(mode="json"),
        overall=scored.feedback.overall,
        time_taken_s=time_taken_s,
        mock_id=mock_id,
        redacted=scored.redacted,
        created_at=now,
        profile_name=profile_name,
    )
    session.add(attempt)
    if card_qid is not None:
        review_question(
            session,
            user_id=user_id,
            question_id=card_qid,
            rating=scheduling.rating_for_score(scored.feedback.overall),
            now=now,
        )
    session.flush()
    return attempt


def get_card(session: Session, *, user_id: int, question_id: str) -> ReviewCard | None:
    """The user's review card for a question, if it has one."""
    return session.scalar(
        select(ReviewCard).where(
            ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
        )
    )


def review_question(
    session: Session, *, user_id: int, question_id: str, rating: Rating, now: datetime
) -> ReviewCard:
    """Apply one FSRS review to the user's card for the question (created on first review)."""
    card = get_card(session, user_id=user_id, question_id=question_id)
    prior = dict(card.card) if card is not None else None
    state = scheduling.review(prior, rating, now)
    if card is None:
        card = ReviewCard(
            user_id=user_id, question_id=question_id, card=state, due_at=scheduling.due_of(state)
        )
        session.add(card)
    card.prior_card = prior
    return _set_state(session, card, state, rating, now)


def _set_state(
    session: Session, card: ReviewCard, state: dict[str, Any], rating: Rating, now: datetime
) -> ReviewCard:
    """Store a review's outcome on the card: FSRS state, next due date, rating."""
    card.card = state
    card.due_at = scheduling.due_of(state)
    card.last_rating = int(rating)
    card.updated_at = now
    session.flush()
    return card


def override_rating(
    session: Session,
    *,
    catalog: Catalog,
    user_id: int,
    question_id: str,
    rating: Rating,
    now: datetime | None = None,
) -> ReviewCard:
    """Replace the last review's rating with the user's own (a first review if none yet).

    The card is re-reviewed from its state before the last review, at that review's time,
    so an override does not count as a second practice session.
    """
    catalog.get("questions", question_id)
    now = now or utcnow()
    card = get_card(session, user_id=user_id, question_id=question_id)
    if card is None:
        return review_question(
            session, user_id=user_id, question_id=question_id, rating=rating, now=now
        )
    reviewed_at = scheduling.last_review_of(card.card) or now
    state = scheduling.review(card.prior_card, rating, reviewed_at)
    return _set_state(session, card, state, rating, now)


def of_profile(profile_name: str | None) -> Any:
    """Attempts of this profile only (True when no profile is set). Attempts stored before
    profiles were recorded belong to none: see `healthpm.practice.earlier`."""
    if profile_name is None:
        return true()
    return Attempt.profile_name == profile_name


def list_attempts(
    session: Session,
    *,
    user_id: int,
    limit: int = 20,
    question_id: str | None = None,
    profile_name: str | None = None,
) -> list[Attempt]:
    """The user's attempts (of one profile, when named), newest first."""
    if limit < 1:
        raise InvalidInputError("--limit must be at least 1")
    query = select(Attempt).where(Attempt.user_id == user_id, of_profile(profile_name))
    if question_id is not None:
        query = query.where(Attempt.question_id == question_id)
    query = query.order_by(Attempt.created_at.desc(), Attempt.id.desc()).limit(limit)
    return list(session.scalars(query))


history = list_attempts


def score_trend(
    session: Session, *, user_id: int, limit: int, profile_name: str | None = None
) -> list[tuple[datetime, float]]:
    """(when, overall) of the user's newest `limit` attempts, oldest first: a chart's data,
    read without loading answers or feedback."""
    query = (
        select(Attempt.created_at, Attempt.overall)
        .where(Attempt.user_id == user_id, of_profile(profile_name))
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return [(when, overall) for when, overall in reversed(session.execute(query).all())]


def get_attempt(session: Session, *, user_id: int, attempt_id: int) -> Attempt:
    """One attempt of this user, or NotFoundError (also for another user's attempt)."""
    attempt = get_by_id(session, Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NotFoundError(f"no attempt {attempt_id}; list yours with `healthpm practice history`")
    return attempt


def due_questions(
    session: Session,
    *,
    catalog: Catalog,
    user_id: int,
    now: datetime | None = None,
    limit: int = 10,
    profile: Profile | None = None,
) -> list[scheduling.QueueItem]:
    """Due questions, then never-seen ones; a profile's weak competencies pull theirs forward."""
    if limit < 1:
        raise InvalidInputError("--limit must be at least 1")
    # Columns only: loading whole cards would parse every card's FSRS JSON on each page view.
    cards = session.execute(
        select(ReviewCard.question_id, ReviewCard.due_at).where(ReviewCard.user_id == user_id)
    )
    due_cards = {question_id: due_at for question_id, due_at in cards}
    answered: list[tuple[str | None, str | None]] = [
        (qid, name)
        for qid, name in session.execute(
            select(Attempt.question_id, Attempt.profile_name)
            .where(Attempt.user_id == user_id, Attempt.question_id.is_not(None))
            .distinct()
        )
    ]
    if profile is not None:
        # A profile's queue counts only its own answers: a question practised only by another
        # profile (or before profiles) is new to this one. A card with no answer at all (a
        # rating given by hand) stays.
        mine = {qid for qid, name in answered if name == profile.name}
        others = {qid for qid, name in answered if name != profile.name} - mine
        due_cards = {q: d for q, d in due_cards.items() if q not in others}
        answered = [(q, n) for q, n in answered if n == profile.name]
    seen = set(due_cards) | {qid for qid, _ in answered if qid}
    return scheduling.build_queue(
        catalog,
        due_cards=due_cards,
        seen=seen,
        now=now or utcnow(),
        limit=limit,
        profile=profile,
    )
