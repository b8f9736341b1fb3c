"""Job matcher service: match postings, store matches, list and delete them, add gaps to plan.

Keyword-only, take the session and never commit. Postings are read from what the user gives;
nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.db import get_by_id
from healthpm.domain.jobs.match import Match, match_posting
from healthpm.domain.jobs.posting import Posting
from healthpm.domain.profile import Profile
from healthpm.errors import NotFoundError
from healthpm.jobs.models import JobMatch
from healthpm.navigator.extra_tasks import GapTask, add_gap_tasks


def match(posting: Posting, *, catalog: Catalog, profile: Profile | None) -> Match:
    """The match of one posting (fit and gaps only with a profile)."""
    return match_posting(posting, catalog, profile)


def match_many(
    postings: list[Posting], *, catalog: Catalog, profile: Profile | None
) -> list[Match]:
    """Matches ranked by fit (best first), then by title; without a profile, in file order."""
    results = [match_posting(p, catalog, profile) for p in postings]
    if profile is not None:
        results.sort(key=lambda m: (-(m.fit or 0), m.title))
    return results


def save_match(session: Session, *, user_id: int, posting: Posting, result: Match) -> JobMatch:
    """Store a posting as read and its match."""
    row = JobMatch(
        user_id=user_id,
        title=(posting.title or "Untitled posting")[:300],
        company=posting.company[:200],
        origin=posting.origin,
        posting=posting.text,
        level=result.level,
        fit=result.fit,
        result=result.as_dict(),
    )
    session.add(row)
    session.flush()
    return row


def list_matches(session: Session, *, user_id: int) -> list[JobMatch]:
    """The user's stored matches, newest first."""
    return list(
        session.scalars(
            select(JobMatch)
            .where(JobMatch.user_id == user_id)
            .order_by(JobMatch.created_at.desc(), JobMatch.id.desc())
        )
    )


def get_match(session: Session, *, user_id: int, match_id: int) -> JobMatch:
    """One stored match of this user, or NotFoundError."""
    row = get_by_id(session, JobMatch, match_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"no job match {match_id}; list yours with `healthpm jobs list`")
    return row


def delete_match(session: Session, *, user_id: int, match_id: int) -> None:
    """Delete one stored match."""
    session.delete(get_match(session, user_id=user_id, match_id=match_id))
    session.flush()


def gaps_to_plan(session: Session, *, user: User, result: Match) -> list[dict[str, Any]]:
    """A plan task per competency gap of the match (credential gaps are listed, not planned)."""
    tasks = [
        GapTask(
            g["id"],
            f"For '{result.title}': raise {g['name']} from {g['rating']} to "
            f"{g['expected']} (build evidence)",
        )
        for g in result.gaps
        if g["kind"] == "competency"
    ]
    return add_gap_tasks(session, user=user, source="job-gaps", gaps=tasks)


def row_dict(row: JobMatch) -> dict[str, Any]:
    """A stored match: its id and the match contract."""
    return {"id": row.id, "created_at": row.created_at.isoformat(), **row.result}
