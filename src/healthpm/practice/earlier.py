"""Earlier practice: attempts stored before profiles were recorded (profile_name NULL).

They belong to no profile, so no profile's history, trend, bank marks or queue counts them;
the history pages list them apart, and one action moves them all to a profile the person
names (`healthpm practice claim --profile NAME`, or the button on /practice/history).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from healthpm.errors import NotFoundError
from healthpm.navigator.models import Profile as ProfileRow
from healthpm.practice.models import Attempt

_EARLIER = Attempt.profile_name.is_(None)


def count_earlier(session: Session, *, user_id: int) -> int:
    """How many of the user's attempts belong to no profile."""
    query = select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id, _EARLIER)
    return int(session.scalar(query) or 0)


def earlier_attempts(session: Session, *, user_id: int, limit: int = 100) -> list[Attempt]:
    """The user's attempts that belong to no profile, newest first."""
    query = (
        select(Attempt)
        .where(Attempt.user_id == user_id, _EARLIER)
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def profile_names(session: Session, *, user_id: int) -> list[str]:
    """The names of the user's stored profiles, most recently used first."""
    query = (
        select(ProfileRow.name)
        .where(ProfileRow.user_id == user_id)
        .order_by(ProfileRow.updated_at.desc(), ProfileRow.id.desc())
    )
    return list(session.scalars(query))


def current_profile_name(session: Session, *, user_id: int) -> str | None:
    """The current profile's name (the one last saved or switched to), without validating it:
    answers from the terminal are kept per profile, as on the web."""
    names = profile_names(session, user_id=user_id)
    return names[0] if names else None


def claim_earlier(session: Session, *, user_id: int, profile_name: str) -> int:
    """Move every attempt of no profile to the named profile; how many moved.

    NotFoundError when the user has no profile of that name (the message lists theirs).
    """
    names = profile_names(session, user_id=user_id)
    if profile_name not in names:
        known = ", ".join(repr(n) for n in names) or "none yet; create one with `healthpm init`"
        raise NotFoundError(f"no profile named {profile_name!r}; your profiles: {known}")
    moved = session.execute(
        update(Attempt)
        .where(Attempt.user_id == user_id, _EARLIER)
        .values(profile_name=profile_name)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(moved, "rowcount", 0) or 0)
