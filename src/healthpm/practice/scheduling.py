"""Spaced repetition with FSRS, and the order of the practice queue.

Pure functions over fsrs cards (stored as their dict form) and the catalog; service.py does
the database work. Learning steps are off: an interview question is not worth repeating
within minutes, so the shortest interval FSRS gives here is one day. Fuzzing is off so the
same history always gives the same schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError

RATINGS: dict[str, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}


def scheduler() -> Scheduler:
    """The FSRS scheduler every review uses (default weights, day-level steps, no fuzz)."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def aware(moment: datetime) -> datetime:
    """A UTC-aware datetime (SQLite hands timestamps back naive)."""
    # PostgreSQL hands them back aware in the session's zone; FSRS wants UTC itself.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def rating_for_score(overall: float) -> Rating:
    """Overall 1-5 to an FSRS rating: <2 Again, <3 Hard, <4 Good, otherwise Easy."""
    if overall < 2:
        return Rating.Again
    if overall < 3:
        return Rating.Hard
    if overall < 4:
        return Rating.Good
    return Rating.Easy


def parse_rating(name: str) -> Rating:
    """'again', 'hard', 'good' or 'easy' (any case) to a Rating."""
    try:
        return RATINGS[name.strip().lower()]
    except KeyError:
        raise InvalidInputError(
            f"unknown rating {name!r}; use one of: {', '.join(RATINGS)}"
        ) from None


def review(state: Mapping[str, Any] | None, rating: Rating, now: datetime) -> dict[str, Any]:
    """The card after one review at `now`; a missing state starts a new card."""
    card = Card.from_dict(dict(state)) if state else Card(card_id=1, due=aware(now))  # type: ignore[arg-type]
    reviewed, _log = scheduler().review_card(card, rating, review_datetime=aware(now))
    return dict(reviewed.to_dict())


def due_of(state: Mapping[str, Any]) -> datetime:
    """When the stored card is next due."""
    return aware(datetime.fromisoformat(str(state["due"])))


def last_review_of(state: Mapping[str, Any]) -> datetime | None:
    """When the stored card was last reviewed, if ever."""
    value = state.get("last_review")
    return aware(datetime.fromisoformat(str(value))) if value else None


@dataclass(frozen=True)
class QueueItem:
    """One question in the practice queue and why it is there."""

    question_id: str
    category: str
    reason: str
    due_at: datetime | None = None


def competency_gaps(profile: Profile, catalog: Catalog) -> dict[str, int]:
    """Rated competencies below what the target level expects, as expected minus rating.

    Unrated competencies are unknown rather than weak, so they do not count.
    """
    gaps: dict[str, int] = {}
    for comp_id, rating in profile.ratings.items():
        competency = catalog.competencies.get(comp_id)
        if competency is None:
            continue
        expected = competency.expected.get(profile.target_level, 0)
        if rating < expected:
            gaps[comp_id] = expected - rating
    return gaps


def _weakest(competencies: Iterable[str], gaps: Mapping[str, int]) -> tuple[int, str | None]:
    scored = [(gaps[c], c) for c in competencies if c in gaps]
    if not scored:
        return 0, None
    gap, comp = max(scored, key=lambda pair: (pair[0], -len(pair[1])))
    return gap, comp


def _reason(base: str, weak: str | None, gap: int) -> str:
    if weak is None:
        return base
    note = f"weak competency {weak} (-{gap})"
    return note if base == "new" else f"{base}; {note}"


def build_queue(
    catalog: Catalog,
    *,
    due_cards: Mapping[str, datetime],
    seen: set[str],
    now: datetime,
    limit: int,
    profile: Profile | None = None,
) -> list[QueueItem]:
    """Due questions first, then never-seen ones; weak competencies come first in each group.

    `due_cards` maps question id to due date for every stored card; `seen` holds every
    question id with a card or an attempt. With a profile, new questions at the target
    level come before questions for other levels.
    """
    gaps = competency_gaps(profile, catalog) if profile else {}
    due: list[tuple[tuple[Any, ...], QueueItem]] = []
    new: list[tuple[tuple[Any, ...], QueueItem]] = []
    for order, q in enumerate(catalog.questions.values()):
        gap, weak = _weakest(q.competencies, gaps)
        due_at = due_cards.get(q.id)
        if due_at is not None and aware(due_at) <= aware(now):
            item = QueueItem(q.id, q.category, _reason("due", weak, gap), aware(due_at))
            due.append(((-gap, aware(due_at), order), item))
        elif q.id not in seen and due_at is None:
            off_level = profile is not None and profile.target_level not in q.levels
            new.append(
                ((-gap, off_level, order), QueueItem(q.id, q.category, _reason("new", weak, gap)))
            )
    ranked = [item for _key, item in sorted(due, key=lambda p: p[0])]
    ranked += [item for _key, item in sorted(new, key=lambda p: p[0])]
    return ranked[: max(0, limit)]
