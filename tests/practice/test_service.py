"""Practice service with a fake engine: attempts, PHI guard, reviews, history, the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice import service
from healthpm.practice.models import Attempt, ReviewCard
from healthpm.practice.scheduling import aware, due_of, review

from .fakes import FakeEngine

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PHI_ANSWER = "My patient John Smith, DOB 3/4/1961, showed me the alert problem. [score 4]"


def _record(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int, **kwargs: object
) -> Attempt:
    params: dict[str, object] = {
        "answer": "A grounded answer. [score 3.5]",
        "question_id": "ehr-alerts",
        "now": NOW,
    }
    params.update(kwargs)
    return service.record_attempt(
        session, engine=engine, catalog=catalog, user_id=user_id, **params
    )


def _count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_record_attempt_stores_feedback_and_schedules_a_review(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(session, engine, catalog, user_id, time_taken_s=42.0)
    assert attempt.id is not None
    assert attempt.question_text == "Prompt for ehr-alerts?"
    assert attempt.overall == 3.5 and attempt.feedback["overall"] == 3.5
    assert attempt.time_taken_s == 42.0 and not attempt.redacted
    card = service.get_card(session, user_id=user_id, question_id="ehr-alerts")
    assert card is not None and card.last_rating == int(Rating.Good)
    assert aware(card.due_at) > NOW
    assert card.prior_card is None


def test_phi_without_a_choice_stores_nothing_and_does_not_score(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    with pytest.raises(service.PhiFoundError, match="name: J"):
        _record(session, engine, catalog, user_id, answer=PHI_ANSWER)
    assert engine.calls == []
    assert _count(session, Attempt) == 0 and _count(session, ReviewCard) == 0


def test_redact_stores_and_scores_the_redacted_answer(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(session, engine, catalog, user_id, answer=PHI_ANSWER, phi_choice="redact")
    assert attempt.redacted
    assert "John Smith" not in attempt.answer and "[NAME], DOB [DATE]" in attempt.answer
    assert "John Smith" not in engine.calls[0][0]
    assert attempt.feedback["phi_warning"] == ["name: J*** S****", "date: #/#/##61"]


def test_keep_stores_the_answer_as_written_with_the_warning(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(session, engine, catalog, user_id, answer=PHI_ANSWER, phi_choice="keep")
    assert attempt.answer == PHI_ANSWER and not attempt.redacted
    assert attempt.feedback["phi_warning"]


def test_clean_answer_with_redact_choice_is_not_marked(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(session, engine, catalog, user_id, phi_choice="redact")
    assert not attempt.redacted and attempt.feedback["phi_warning"] is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"answer": "   \n "}, InvalidInputError, "empty"),
        ({"answer": "word " * 5001}, InvalidInputError, "5,001 words"),
        ({"question_id": "no-such-question"}, NotFoundError, "unknown question id"),
        ({"question_id": None}, InvalidInputError, "either a question id or a question text"),
        ({"question_id": None, "question_text": "  "}, InvalidInputError, "question text"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    session: Session,
    engine: FakeEngine,
    catalog: Catalog,
    user_id: int,
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        _record(session, engine, catalog, user_id, **kwargs)
    assert _count(session, Attempt) == 0 and engine.calls == []


def test_free_text_question_reviews_the_matched_bank_question(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(
        session,
        engine,
        catalog,
        user_id,
        question_id=None,
        question_text="How would you cut EHR alerts?",
    )
    assert attempt.question_id == "ehr-alerts"
    assert attempt.question_text == "How would you cut EHR alerts?"
    assert service.get_card(session, user_id=user_id, question_id="ehr-alerts") is not None


def test_free_text_without_a_match_has_no_card(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(
        session, engine, catalog, user_id, question_id=None, question_text="Tell me about yourself."
    )
    assert attempt.question_id is None and _count(session, ReviewCard) == 0


def test_history_is_newest_first_and_limited(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    for day in range(3):
        _record(session, engine, catalog, user_id, now=NOW + timedelta(days=day))
    attempts = service.list_attempts(session, user_id=user_id, limit=2)
    assert [aware(a.created_at).day for a in attempts] == [3, 2]
    with pytest.raises(InvalidInputError):
        service.list_attempts(session, user_id=user_id, limit=0)


def test_score_trend_is_the_newest_scores_oldest_first(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempts = [
        _record(session, engine, catalog, user_id, now=NOW + timedelta(days=day))
        for day in range(3)
    ]
    trend = service.score_trend(session, user_id=user_id, limit=2)
    assert [aware(when).day for when, _ in trend] == [2, 3]
    assert [overall for _, overall in trend] == [a.overall for a in attempts[1:]]
    other = User(email="trend@example.org")
    session.add(other)
    session.flush()
    assert service.score_trend(session, user_id=other.id, limit=5) == []


def test_get_attempt_only_for_its_owner(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    attempt = _record(session, engine, catalog, user_id)
    other = User(email="other@example.org")
    session.add(other)
    session.flush()
    assert service.get_attempt(session, user_id=user_id, attempt_id=attempt.id) is attempt
    with pytest.raises(NotFoundError, match="practice history"):
        service.get_attempt(session, user_id=other.id, attempt_id=attempt.id)
    with pytest.raises(NotFoundError):
        service.get_attempt(session, user_id=user_id, attempt_id=999)


def test_repeated_good_scores_space_the_question_out(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    _record(session, engine, catalog, user_id)
    card = service.get_card(session, user_id=user_id, question_id="ehr-alerts")
    assert card is not None
    first_due = aware(card.due_at)
    _record(session, engine, catalog, user_id, now=first_due)
    assert aware(card.due_at) - first_due > first_due - NOW


def test_override_replaces_the_last_rating(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int
) -> None:
    _record(session, engine, catalog, user_id, answer="Strong. [score 4.6]")
    card = service.get_card(session, user_id=user_id, question_id="ehr-alerts")
    assert card is not None and card.last_rating == int(Rating.Easy)
    easy_due = aware(card.due_at)
    service.override_rating(
        session,
        catalog=catalog,
        user_id=user_id,
        question_id="ehr-alerts",
        rating=Rating.Again,
        now=NOW + timedelta(hours=1),
    )
    assert card.last_rating == int(Rating.Again)
    assert aware(card.due_at) < easy_due
    assert aware(card.due_at) == due_of(review(None, Rating.Again, NOW))


def test_override_without_a_card_is_a_first_review(
    session: Session, catalog: Catalog, user_id: int
) -> None:
    card = service.override_rating(
        session,
        catalog=catalog,
        user_id=user_id,
        question_id="baa-vendor",
        rating=Rating.Hard,
        now=NOW,
    )
    assert card.last_rating == int(Rating.Hard) and aware(card.due_at) > NOW
    with pytest.raises(NotFoundError):
        service.override_rating(
            session,
            catalog=catalog,
            user_id=user_id,
            question_id="nope",
            rating=Rating.Hard,
            now=NOW,
        )


def test_one_card_per_user_and_question(session: Session, user_id: int) -> None:
    state = review(None, Rating.Good, NOW)
    for _ in range(2):
        session.add(ReviewCard(user_id=user_id, question_id="q", card=state, due_at=due_of(state)))
    with pytest.raises(IntegrityError):
        session.flush()


def test_due_questions_puts_due_reviews_before_new_ones(
    session: Session, engine: FakeEngine, catalog: Catalog, user_id: int, profile: Profile
) -> None:
    _record(session, engine, catalog, user_id, question_id="baa-vendor", profile_name="Ana")
    later = NOW + timedelta(days=30)
    items = service.due_questions(
        session, catalog=catalog, user_id=user_id, now=later, limit=3, profile=profile
    )
    assert items[0].question_id == "baa-vendor" and items[0].reason == "due"
    assert [i.question_id for i in items[1:]] == ["ehr-alerts", "nurse-handoff"]
    soon = service.due_questions(session, catalog=catalog, user_id=user_id, now=NOW, limit=10)
    assert "baa-vendor" not in [i.question_id for i in soon]
