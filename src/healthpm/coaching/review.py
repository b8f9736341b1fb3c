"""Two-way review of a shared attempt: threaded comments anchored to a sentence, the coach's
rubric score beside the automatic one, the reviewed state, and unread counts for both sides.

Who may do what: a coach holding an active practice share of the candidate comments, scores
and replies; the candidate (the attempt's owner) replies to comments on their own attempts.
Each author edits and deletes only their own comments. Callers check that the attempt
belongs to `owner_id` (routes load it with `practice.get_attempt`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import Comment, Share, User
from healthpm.accounts.sharing import shared_owner
from healthpm.coaching.models import CoachReview
from healthpm.db import get_by_id, utcnow
from healthpm.domain.feedback.schema import DIMENSIONS
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice.models import Attempt

MAX_COMMENT = 4000
MAX_ANCHOR = 1000


@dataclass
class Thread:
    """A top-level comment and its replies, oldest first."""

    comment: Comment
    author: User
    replies: list[tuple[Comment, User]] = field(default_factory=list)


def _check_author(session: Session, *, author: User, attempt: Attempt) -> None:
    if author.id != attempt.user_id:
        shared_owner(session, coach=author, owner_id=attempt.user_id, kind="practice")


def _clean_body(body: str) -> str:
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInputError("a comment needs some text")
    if len(text) > MAX_COMMENT:
        raise InvalidInputError(f"a comment may have at most {MAX_COMMENT} characters")
    return text


def _clean_anchor(anchor: str, answer: str) -> str:
    value = " ".join(anchor.split())
    if not value:
        return ""
    if len(value) > MAX_ANCHOR or value not in " ".join(answer.split()):
        raise InvalidInputError("a comment can only be anchored to a sentence of the answer")
    return value


def add_comment(
    session: Session,
    *,
    author: User,
    attempt: Attempt,
    body: str,
    anchor: str = "",
    parent_id: int | None = None,
) -> Comment:
    """A comment (or a reply when parent_id is given) on a shared attempt."""
    _check_author(session, author=author, attempt=attempt)
    text = _clean_body(body)
    if parent_id is not None:
        parent = get_by_id(session, Comment, parent_id)
        if parent is None or parent.attempt_id != attempt.id or parent.user_id != attempt.user_id:
            raise NotFoundError(f"no comment {parent_id} on this answer")
        parent_id = parent.parent_id or parent.id  # threads are one level deep
    elif author.id == attempt.user_id:
        raise InvalidInputError("reply to a coach's comment; a candidate's note needs a comment")
    comment = Comment(
        attempt_id=attempt.id,
        user_id=attempt.user_id,
        author_id=author.id,
        body=text,
        anchor="" if parent_id else _clean_anchor(anchor, attempt.answer),
        parent_id=parent_id,
    )
    session.add(comment)
    session.flush()
    return comment


def _own_comment(session: Session, *, author: User, comment_id: int, attempt: Attempt) -> Comment:
    comment = get_by_id(session, Comment, comment_id)
    if comment is None or comment.attempt_id != attempt.id or comment.author_id != author.id:
        raise NotFoundError(f"no comment {comment_id} of yours on this answer")
    return comment


def edit_comment(
    session: Session, *, author: User, attempt: Attempt, comment_id: int, body: str
) -> Comment:
    """Change the text of one's own comment; it is marked edited and unread again."""
    _check_author(session, author=author, attempt=attempt)
    comment = _own_comment(session, author=author, comment_id=comment_id, attempt=attempt)
    comment.body, comment.updated_at, comment.read_at = _clean_body(body), utcnow(), None
    session.flush()
    return comment


def delete_comment(session: Session, *, author: User, attempt: Attempt, comment_id: int) -> None:
    """Delete one's own comment (its replies go with it)."""
    _check_author(session, author=author, attempt=attempt)
    session.delete(_own_comment(session, author=author, comment_id=comment_id, attempt=attempt))
    session.flush()


def threads(session: Session, *, attempt: Attempt) -> list[Thread]:
    """The attempt's comments as threads, oldest first."""
    rows = session.execute(
        select(Comment, User)
        .join(User, User.id == Comment.author_id)
        .where(Comment.user_id == attempt.user_id, Comment.attempt_id == attempt.id)
        .order_by(Comment.id)
    ).all()
    by_id: dict[int, Thread] = {}
    for comment, author in rows:
        if comment.parent_id is None:
            by_id[comment.id] = Thread(comment, author)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append((comment, author))
    return list(by_id.values())


def mark_read(session: Session, *, viewer: User, attempt: Attempt) -> int:
    """Mark what others wrote on this attempt as read by the viewer's side; the count marked."""
    rows = session.scalars(
        select(Comment).where(
            Comment.user_id == attempt.user_id,
            Comment.attempt_id == attempt.id,
            Comment.author_id != viewer.id,
            Comment.read_at.is_(None),
        )
    ).all()
    mine = viewer.id == attempt.user_id
    now = utcnow()
    marked = 0
    for comment in rows:
        # A coach reads the candidate's replies, the candidate reads every coach's comments.
        if mine or comment.author_id == attempt.user_id:
            comment.read_at = now
            marked += 1
    session.flush()
    return marked


def unread_for_candidate(session: Session, *, user_id: int) -> dict[int, int]:
    """Attempt id -> comments by coaches the candidate has not opened yet."""
    rows = session.execute(
        select(Comment.attempt_id, func.count())
        .where(
            Comment.user_id == user_id,
            Comment.author_id != user_id,
            Comment.read_at.is_(None),
        )
        .group_by(Comment.attempt_id)
    )
    return {attempt_id: n for attempt_id, n in rows}


def unread_for_coach(session: Session, *, coach: User) -> dict[int, int]:
    """Candidate id -> replies the coach has not opened, over candidates sharing practice."""
    owners = select(Share.user_id).where(
        Share.coach_id == coach.id, Share.kind == "practice", Share.revoked_at.is_(None)
    )
    threads_of_coach = select(Comment.id).where(Comment.author_id == coach.id)
    rows = session.execute(
        select(Comment.user_id, func.count())
        .where(
            Comment.user_id.in_(owners),
            Comment.author_id == Comment.user_id,
            Comment.parent_id.in_(threads_of_coach),
            Comment.read_at.is_(None),
        )
        .group_by(Comment.user_id)
    )
    return {user_id: n for user_id, n in rows}


def _score(value: float | int | None, what: str) -> float | None:
    if value is None:
        return None
    if not 1 <= value <= 5:
        raise InvalidInputError(f"{what} must be between 1 and 5")
    return round(float(value) * 2) / 2  # half points, as coaches score


def save_review(
    session: Session,
    *,
    coach: User,
    attempt: Attempt,
    overall: float | None,
    dimensions: dict[str, int | None] | None = None,
) -> CoachReview:
    """Store (or replace) the coach's score of the attempt; saving marks it reviewed."""
    shared_owner(session, coach=coach, owner_id=attempt.user_id, kind="practice")
    scores: dict[str, float] = {}
    for dim, value in (dimensions or {}).items():
        if dim not in DIMENSIONS:
            raise InvalidInputError(f"no rubric dimension {dim!r}")
        scored = _score(value, dim.replace("_", " "))
        if scored is not None:
            scores[dim] = scored
    review = review_of(session, coach=coach, attempt_id=attempt.id)
    if review is None:
        review = CoachReview(attempt_id=attempt.id, user_id=attempt.user_id, coach_id=coach.id)
        session.add(review)
    review.overall, review.dimensions, review.updated_at = (
        _score(overall, "the overall score"),
        scores,
        utcnow(),
    )
    session.flush()
    return review


def review_of(session: Session, *, coach: User, attempt_id: int) -> CoachReview | None:
    """This coach's review of the attempt, or None."""
    return session.scalar(
        select(CoachReview).where(
            CoachReview.attempt_id == attempt_id, CoachReview.coach_id == coach.id
        )
    )


def reviews_on(session: Session, *, attempt: Attempt) -> list[tuple[CoachReview, User]]:
    """Every coach's review of the attempt, with the coach (the candidate sees them all)."""
    rows = session.execute(
        select(CoachReview, User)
        .join(User, User.id == CoachReview.coach_id)
        .where(CoachReview.attempt_id == attempt.id, CoachReview.user_id == attempt.user_id)
        .order_by(CoachReview.id)
    )
    return [(r, u) for r, u in rows]


def reviewed_ids(session: Session, *, coach: User, owner_id: int) -> set[int]:
    """Ids of the candidate's attempts this coach has reviewed."""
    rows = session.scalars(
        select(CoachReview.attempt_id).where(
            CoachReview.coach_id == coach.id, CoachReview.user_id == owner_id
        )
    )
    return set(rows)


@dataclass(frozen=True)
class GradedRow:
    """One coach-scored answer, for export as graded data."""

    attempt_id: int
    candidate_id: int
    question_id: str | None
    answer: str
    auto_overall: float
    coach_overall: float | None
    coach_dimensions: dict[str, float]
    consent: bool
    reviewed_at: datetime


def graded_rows(session: Session, *, coach: User, consented_only: bool) -> list[GradedRow]:
    """The coach's scores beside the automatic ones; answers only with the candidate's consent.

    Without consent a row keeps the scores but not the answer text, so the coach can still
    export their own marking for the cohort's reporting.
    """
    rows = session.execute(
        select(CoachReview, Attempt, User)
        .join(Attempt, Attempt.id == CoachReview.attempt_id)
        .join(User, User.id == CoachReview.user_id)
        .where(CoachReview.coach_id == coach.id)
        .order_by(CoachReview.id)
    )
    out = []
    for review, attempt, owner in rows:
        if consented_only and not owner.grading_consent:
            continue
        out.append(
            GradedRow(
                attempt.id,
                owner.id,
                attempt.question_id,
                attempt.answer if owner.grading_consent else "",
                attempt.overall,
                review.overall,
                dict(review.dimensions),
                owner.grading_consent,
                review.updated_at,
            )
        )
    return out
