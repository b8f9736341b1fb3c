"""Your data is yours: export everything of a user as JSON, import it elsewhere, erase it.

Services in the house style: keyword arguments after the session, no commit (the request or
CLI command is the transaction boundary). The file layout is in portability_schema.py.
Import is all-or-nothing (the whole file is validated before the first write, and the
caller's transaction rolls back a failed write) and idempotent:
rows already present (same natural key) are updated or skipped, never duplicated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from healthpm.accounts.models import Comment, Share, User
from healthpm.accounts.portability_import import Importer
from healthpm.accounts.portability_schema import FORMAT, FORMAT_VERSION, parse_export, ts
from healthpm.accounts.service import retire_user
from healthpm.catalog import Catalog, get_catalog
from healthpm.db import utcnow
from healthpm.domain.profile import validate_profile
from healthpm.jobs.models import JobMatch
from healthpm.navigator.models import HoursLog, Plan, Profile, TaskProgress
from healthpm.practice.models import Attempt, MockSession, ReviewCard
from healthpm.stories.models import Story

#: Every table holding a user's rows, children first (the order erase deletes in).
USER_TABLES: tuple[Any, ...] = (
    Comment,
    Story,
    JobMatch,
    Attempt,
    ReviewCard,
    MockSession,
    HoursLog,
    TaskProgress,
    Plan,
    Profile,
    Share,
)


def _rows(session: Session, model: Any, user_id: int, *order: Any) -> Sequence[Any]:
    return session.scalars(select(model).where(model.user_id == user_id).order_by(*order)).all()


def _refs(rows: Sequence[Any]) -> dict[int, int]:
    """Database id -> position in the file (1-based): ids never leave the instance."""
    return {row.id: i for i, row in enumerate(rows, start=1)}


def _attempt_json(
    session: Session, a: Attempt, ref: int, mock_refs: dict[int, int]
) -> dict[str, Any]:
    comments = session.execute(
        select(Comment, User.email)
        .join(User, User.id == Comment.author_id)
        .where(Comment.user_id == a.user_id, Comment.attempt_id == a.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return {
        "ref": ref,
        "question_id": a.question_id,
        "question_text": a.question_text,
        "answer": a.answer,
        "feedback": a.feedback,
        "overall": a.overall,
        "time_taken_s": a.time_taken_s,
        "mock_ref": mock_refs.get(a.mock_id) if a.mock_id is not None else None,
        "redacted": a.redacted,
        "reviewer": a.reviewer,
        "created_at": ts(a.created_at),
        "profile_name": a.profile_name,
        "comments": [
            {"author_email": email, "body": c.body, "created_at": ts(c.created_at)}
            for c, email in comments
        ],
    }


def _comments_made(session: Session, user: User) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Comment, User.email, Attempt.question_text)
        .join(User, User.id == Comment.user_id)
        .join(Attempt, Attempt.id == Comment.attempt_id)
        .where(Comment.author_id == user.id, Comment.user_id != user.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return [
        {
            "candidate_email": email,
            "attempt_question": question,
            "body": c.body,
            "created_at": ts(c.created_at),
        }
        for c, email, question in rows
    ]


def _navigator_json(session: Session, uid: int) -> dict[str, Any]:
    profiles = _rows(session, Profile, uid, Profile.created_at, Profile.id)
    plans = _rows(session, Plan, uid, Plan.created_at, Plan.id)
    profile_refs = _refs(profiles)
    return {
        "profiles": [
            {
                "ref": i,
                "name": p.name,
                "data": p.data,
                "created_at": ts(p.created_at),
                "updated_at": ts(p.updated_at),
            }
            for i, p in enumerate(profiles, start=1)
        ],
        "plans": [
            {
                "ref": i,
                "profile_ref": profile_refs[p.profile_id],
                "data": p.data,
                "created_at": ts(p.created_at),
            }
            for i, p in enumerate(plans, start=1)
        ],
        "task_progress": [
            {
                "profile_name": t.profile_name,
                "task_key": t.task_key,
                "done": t.done,
                "done_at": ts(t.done_at),
                "updated_at": ts(t.updated_at),
            }
            for t in _rows(session, TaskProgress, uid, TaskProgress.task_key)
        ],
        "hours": [
            {
                "profile_name": h.profile_name,
                "task_key": h.task_key,
                "track": h.track,
                "hours": h.hours,
                "logged_on": h.logged_on.isoformat(),
                "note": h.note,
                "created_at": ts(h.created_at),
            }
            for h in _rows(session, HoursLog, uid, HoursLog.created_at, HoursLog.id)
        ],
    }


def _practice_json(session: Session, uid: int) -> dict[str, Any]:
    mocks = _rows(session, MockSession, uid, MockSession.started_at, MockSession.id)
    mock_refs = _refs(mocks)
    attempts = _rows(session, Attempt, uid, Attempt.created_at, Attempt.id)
    return {
        "mock_sessions": [
            {
                "ref": mock_refs[m.id],
                "started_at": ts(m.started_at),
                "ended_at": ts(m.ended_at),
                "minutes": m.minutes,
                "level": m.level,
                "category": m.category,
                "question_ids": list(m.question_ids),
                "report": m.report,
            }
            for m in mocks
        ],
        "attempts": [
            _attempt_json(session, a, i, mock_refs) for i, a in enumerate(attempts, start=1)
        ],
        "review_cards": [
            {
                "question_id": c.question_id,
                "card": c.card,
                "prior_card": c.prior_card,
                "due_at": ts(c.due_at),
                "last_rating": c.last_rating,
                "updated_at": ts(c.updated_at),
            }
            for c in _rows(session, ReviewCard, uid, ReviewCard.question_id)
        ],
    }


def _stories_json(session: Session, uid: int) -> dict[str, Any]:
    stories = _rows(session, Story, uid, Story.created_at, Story.id)
    matches = _rows(session, JobMatch, uid, JobMatch.created_at, JobMatch.id)
    return {
        "stories": [
            {
                "title": s.title,
                "situation": s.situation,
                "task": s.task,
                "action": s.action,
                "result": s.result,
                "background": s.background,
                "analysis": s.analysis,
                "feedback": s.feedback,
                "score": s.score,
                "redacted": s.redacted,
                "created_at": ts(s.created_at),
                "updated_at": ts(s.updated_at),
            }
            for s in stories
        ],
        "job_matches": [
            {
                "title": m.title,
                "company": m.company,
                "origin": m.origin,
                "posting": m.posting,
                "level": m.level,
                "fit": m.fit,
                "result": m.result,
                "created_at": ts(m.created_at),
            }
            for m in matches
        ],
    }


def export_user_data(session: Session, user: User) -> dict[str, Any]:
    """Everything stored for the user, JSON-serialisable, in the versioned export format."""
    shares = _rows(session, Share, user.id, Share.created_at, Share.id)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": ts(utcnow()),
        "user": {"email": user.email, "name": user.name, "role": user.role},
        **_navigator_json(session, user.id),
        **_practice_json(session, user.id),
        **_stories_json(session, user.id),
        "shares": [
            {
                "coach_email": s.coach_email,
                "kind": s.kind,
                "created_at": ts(s.created_at),
                "revoked_at": ts(s.revoked_at),
            }
            for s in shares
        ],
        "comments_made": _comments_made(session, user),
    }


# --- import -------------------------------------------------------------------------------


def import_user_data(
    session: Session, user: User, data: object, *, catalog: Catalog | None = None
) -> dict[str, int]:
    """Load an export into this instance for `user`; returns the rows added per section.

    InvalidInputError (nothing written) for a malformed file. Importing the same file again
    adds nothing: profiles, task progress and review cards are updated by their natural key;
    other rows are skipped when one with the same key and timestamp exists.
    """
    doc = parse_export(data)
    catalog = catalog or get_catalog()
    profiles = {
        p.ref: validate_profile(p.data, catalog, origin=f"import file profile {p.name!r}")
        for p in doc.profiles
    }
    # Everything is validated above, before the first write; a failure while writing
    # propagates to the caller's transaction (request or CLI command), which rolls it all back.
    # (No savepoint: with pysqlite, releasing an outermost SAVEPOINT commits.)
    return Importer(session, user, doc).run(
        {ref: p.model_dump(mode="json") for ref, p in profiles.items()}
    )


# --- erase --------------------------------------------------------------------------------


def count_user_rows(session: Session, user_id: int) -> dict[str, int]:
    """Rows per user table owned by (or written by) this user."""
    counts: dict[str, int] = {}
    for model in USER_TABLES:
        query = select(model.id).where(model.user_id == user_id)
        if model is Comment:
            query = select(Comment.id).where(
                (Comment.user_id == user_id) | (Comment.author_id == user_id)
            )
        counts[model.__tablename__] = len(session.scalars(query).all())
    return counts


def erase_user_data(session: Session, user: User) -> dict[str, int]:
    """Delete every row of the user's (the account itself stays); returns rows per table.

    Comments the user wrote as a coach go too, and shares addressed to the user's email are
    revoked, so an account later created with that email does not inherit them.
    """
    counts = count_user_rows(session, user.id)
    session.execute(
        delete(Comment).where((Comment.user_id == user.id) | (Comment.author_id == user.id))
    )
    for model in USER_TABLES[1:]:
        session.execute(delete(model).where(model.user_id == user.id))
    session.execute(
        update(Share)
        .where(
            (Share.coach_email == user.email.lower()) | (Share.coach_id == user.id),
            Share.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), coach_id=None, invite_hash=None)
    )
    session.flush()
    return counts


def delete_account(session: Session, user: User) -> dict[str, int]:
    """Erase the user's data, then the account."""
    counts = erase_user_data(session, user)
    retire_user(session, user_id=user.id)
    session.execute(delete(User).where(User.id == user.id))
    session.expunge(user)
    session.flush()
    return counts
