"""FSRS scheduling and the order of the practice queue (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError
from healthpm.practice.scheduling import (
    build_queue,
    competency_gaps,
    due_of,
    parse_rating,
    rating_for_score,
    review,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overall", "rating"),
    [
        (1.0, Rating.Again),
        (1.99, Rating.Again),
        (2.0, Rating.Hard),
        (2.99, Rating.Hard),
        (3.0, Rating.Good),
        (3.99, Rating.Good),
        (4.0, Rating.Easy),
        (5.0, Rating.Easy),
    ],
)
def test_score_maps_to_rating(overall: float, rating: Rating) -> None:
    assert rating_for_score(overall) is rating


def test_parse_rating_accepts_names_and_rejects_others() -> None:
    assert parse_rating(" Good ") is Rating.Good
    with pytest.raises(InvalidInputError, match="again, hard, good, easy"):
        parse_rating("great")


def test_better_ratings_push_the_due_date_further() -> None:
    dues = [due_of(review(None, rating, NOW)) for rating in Rating]
    assert all(due > NOW for due in dues)
    assert dues == sorted(dues)
    assert dues[0] < dues[-1]


def test_a_second_good_review_waits_longer_than_the_first() -> None:
    first = review(None, Rating.Good, NOW)
    first_gap = due_of(first) - NOW
    second = review(first, Rating.Good, due_of(first))
    assert due_of(second) - due_of(first) > first_gap


def test_again_brings_a_question_back_within_days() -> None:
    good = review(review(None, Rating.Good, NOW), Rating.Good, NOW + timedelta(days=2))
    lapse = review(good, Rating.Again, NOW + timedelta(days=10))
    assert due_of(lapse) - (NOW + timedelta(days=10)) <= timedelta(days=2)


def test_same_history_gives_the_same_schedule() -> None:
    assert review(None, Rating.Hard, NOW) == review(None, Rating.Hard, NOW)


def test_gaps_are_expected_minus_rating_for_rated_competencies(
    catalog: Catalog, profile: Profile
) -> None:
    assert competency_gaps(profile, catalog) == {"clinical-workflow": 2, "product-analytics": 1}


def test_due_come_first_then_new(catalog: Catalog) -> None:
    due = {"baa-vendor": NOW - timedelta(days=1), "rpm-launch": NOW + timedelta(days=3)}
    queue = build_queue(catalog, due_cards=due, seen=set(due), now=NOW, limit=10)
    assert queue[0].question_id == "baa-vendor" and queue[0].reason == "due"
    assert "rpm-launch" not in [q.question_id for q in queue]  # seen, not yet due
    assert [q.reason for q in queue[1:]] == ["new"] * 4


def test_oldest_due_first(catalog: Catalog) -> None:
    due = {"baa-vendor": NOW - timedelta(days=1), "ehr-alerts": NOW - timedelta(days=5)}
    queue = build_queue(catalog, due_cards=due, seen=set(due), now=NOW, limit=2)
    assert [q.question_id for q in queue] == ["ehr-alerts", "baa-vendor"]


def test_weak_competencies_pull_their_questions_forward(catalog: Catalog, profile: Profile) -> None:
    due = {"baa-vendor": NOW - timedelta(days=5), "outcome-metric": NOW - timedelta(days=1)}
    queue = build_queue(catalog, due_cards=due, seen=set(due), now=NOW, limit=10, profile=profile)
    ids = [q.question_id for q in queue]
    # due: the weak one (analytics) before the older but strong one (privacy)
    assert ids[:2] == ["outcome-metric", "baa-vendor"]
    assert queue[0].reason.startswith("due; weak competency product-analytics")
    # new: clinical-workflow (gap 2) questions before the rest
    assert ids[2:4] == ["ehr-alerts", "nurse-handoff"]
    assert queue[2].reason == "weak competency clinical-workflow (-2)"
    assert queue[-1].reason == "new"


def test_new_questions_for_the_target_level_come_before_others(
    catalog: Catalog, profile: Profile
) -> None:
    strong = profile.model_copy(update={"ratings": {}, "target_level": "senior-pm"})
    queue = build_queue(catalog, due_cards={}, seen=set(), now=NOW, limit=10, profile=strong)
    assert queue[-1].question_id == "nurse-handoff"  # not asked at senior-pm


def test_limit_is_respected(catalog: Catalog) -> None:
    assert len(build_queue(catalog, due_cards={}, seen=set(), now=NOW, limit=3)) == 3


def test_a_vp_target_gets_vp_questions_first_even_over_weak_off_level_ones(
    profile: Profile,
) -> None:
    """Shipped bank: every new question for a VP target comes from the VP-tagged set first."""
    from healthpm.catalog import get_catalog

    shipped = get_catalog()
    vp_ids = {q.id for q in shipped.questions.values() if "vp-digital-health" in q.levels}
    # A weak competency that many non-VP questions test must not pull them ahead.
    vp = profile.model_copy(
        update={"target_level": "vp-digital-health", "ratings": {"clinical-workflow": 0}}
    )
    queue = build_queue(
        shipped, due_cards={}, seen=set(), now=NOW, limit=len(vp_ids) + 5, profile=vp
    )
    ids = [item.question_id for item in queue]
    assert set(ids[: len(vp_ids)]) == vp_ids
    assert not set(ids[len(vp_ids) :]) & vp_ids
    # Among the VP questions, those testing the weak competency come first.
    weak_vp = [
        i for i in ids[: len(vp_ids)] if "clinical-workflow" in shipped.questions[i].competencies
    ]
    assert ids[: len(weak_vp)] == weak_vp
