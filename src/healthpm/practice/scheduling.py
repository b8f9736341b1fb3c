"""Spaced repetition with FSRS, and the order of the practice queue.

Pure functions over fsrs cards (stored as their dict form) and the catalog; service.py does
the database work. Learning steps are off: an interview question is not worth repeating
within minutes, so the shortest interval FSRS gives here is one day. Fuzzing is off so the
same history always gives the same schedule.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

from healthpm.catalog import Catalog
from healthpm.domain.content import Question
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
    """The largest gap among the question's competencies (shorter id on a tie)."""
    best_gap, best = 0, None
    for comp in competencies:
        gap = gaps.get(comp)
        if gap is not None and (
            best is None or gap > best_gap or (gap == best_gap and len(comp) < len(best))
        ):
            best_gap, best = gap, comp
    return best_gap, best


# Questions written for a person's way in: a background's words in the prompt of a
# career-transition or behavioral question. The bank has "You're an ICU nurse...",
# "You've been a fintech PM..." and the like, which a plain gap-ranked queue never offered.
BACKGROUND_WORDS: dict[str, tuple[str, ...]] = {
    "nurse": ("nurse", "nursing", "former clinicians"),
    "pharmacist": ("pharmacist", "former clinicians"),
    "physician": ("internist", "physician", "former clinicians"),
    "other-clinician": ("therapist", "former clinicians"),
    "life-science-research": ("phd", "research"),
    "tech-pm-early": ("fintech", "unfamiliar, complex domain", "recent graduate"),
    "tech-pm-mid": ("fintech", "unfamiliar, complex domain", "consumer tech"),
    "senior-pm-leader": ("consumer tech", "fintech", "unfamiliar, complex domain"),
    "healthtech-pm": ("promoted", "senior pm"),
    "adjacent-industry": ("revenue-cycle", "unfamiliar, complex domain"),
}
FIT_CATEGORIES = ("career-transition", "behavioral")


def fits_background(question: Question, background: str | None) -> bool:
    """True when the question was written for people coming from this background."""
    if background is None or question.category not in FIT_CATEGORIES:
        return False
    prompt = question.prompt.lower()
    return any(word in prompt for word in BACKGROUND_WORDS.get(background, ()))


def _reason(base: str, weak: str | None, gap: int, fit: bool = False) -> str:
    notes = ["written for people making your move"] if fit else []
    if weak is not None:
        steps = "step" if gap == 1 else "steps"
        notes.append(f"{weak} is {gap} {steps} below your target's bar")
    if not notes:
        return base
    return "; ".join(notes) if base == "new" else "; ".join([base, *notes])


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
    question id with a card or an attempt. With a profile, new questions tagged with the
    target level (the ones its panels ask) come before every question for other levels; within
    each of the two groups weak competencies come first, then questions written for the
    person's background.
    """
    # Runs on every dashboard and practice page: rank by plain keys, build items for the
    # top `limit` only.
    gaps = competency_gaps(profile, catalog) if profile else {}
    cutoff = aware(now)
    due: list[tuple[int, datetime, int, Question, str | None]] = []
    new: list[tuple[bool, int, bool, int, Question, str | None]] = []
    background = profile.background if profile else None
    for order, q in enumerate(catalog.questions.values()):
        due_at = due_cards.get(q.id)
        if due_at is not None:
            when = aware(due_at)
            if when <= cutoff:
                gap, weak = _weakest(q.competencies, gaps)
                due.append((-gap, when, order, q, weak))
        elif q.id not in seen:
            gap, weak = _weakest(q.competencies, gaps)
            off_level = profile is not None and profile.target_level not in q.levels
            misfit = not fits_background(q, background)
            new.append((off_level, -gap, misfit, order, q, weak))
    limit = max(0, limit)
    name = _namer(catalog)
    ranked = [
        QueueItem(q.id, q.category, _reason("due", name(weak), -neg_gap), when)
        for neg_gap, when, _order, q, weak in heapq.nsmallest(limit, due, key=_rank)
    ]
    fresh = heapq.nsmallest(limit - len(ranked), new, key=_rank_new)
    ranked += [
        QueueItem(q.id, q.category, _reason("new", name(weak), -neg_gap, not misfit))
        for _off, neg_gap, misfit, _order, q, weak in fresh
    ]
    return ranked


def _namer(catalog: Catalog) -> Any:
    def name(cid: str | None) -> str | None:
        if cid is None:
            return None
        comp = catalog.competencies.get(cid)
        return comp.name if comp is not None else cid

    return name


def _rank(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    return entry[:3]  # (-gap, due date, catalog order): unique, so stable


def _rank_new(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    # (off the target level, -gap, not written for the background, catalog order)
    return entry[:4]
