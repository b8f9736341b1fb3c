"""Rate limits kept in the database, so every worker and instance counts the same events.

Each limit is a bucket name ("signin-account:ana@example.org") and a number of events per
window. Events are written in the request's own transaction (a second connection would wait
on the request's write lock under SQLite): a failed sign-in answers 401 through a page, so its
event is committed with the response; a request that fails before the model runs leaves no
event, and used nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import RateEvent
from healthpm.db import utcnow
from healthpm.errors import RateLimitedError

#: Events older than this are deleted at each sign-in (longer than any window).
KEEP_EVENTS = timedelta(days=2)


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` in one bucket."""

    count: int
    window: timedelta

    def describe(self) -> str:
        minutes = round(self.window.total_seconds() / 60)
        return f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"


def used(session: Session, bucket: str, limit: Limit) -> int:
    """Events in the bucket within the limit's window."""
    since = utcnow() - limit.window
    query = select(func.count(RateEvent.id)).where(
        RateEvent.bucket == bucket[:400], RateEvent.created_at >= since
    )
    return int(session.scalar(query) or 0)


def blocked(session: Session, bucket: str, limit: Limit) -> bool:
    return used(session, bucket, limit) >= limit.count


def hit(session: Session, bucket: str, limit: Limit) -> None:
    """Count one event (and forget this bucket's events older than the window)."""
    now = utcnow()
    session.execute(
        delete(RateEvent).where(
            RateEvent.bucket == bucket[:400], RateEvent.created_at < now - limit.window
        )
    )
    session.add(RateEvent(bucket=bucket[:400], created_at=now))
    session.flush()


def clear(session: Session, bucket: str) -> None:
    session.execute(delete(RateEvent).where(RateEvent.bucket == bucket[:400]))


def purge(session: Session, older_than: timedelta = KEEP_EVENTS) -> None:
    """Forget every old event (buckets nobody hits again, such as guessed emails)."""
    session.execute(delete(RateEvent).where(RateEvent.created_at < utcnow() - older_than))


def take(session: Session, bucket: str, limit: Limit, message: str) -> None:
    """Count one event, or RateLimitedError when the bucket is already full."""
    if blocked(session, bucket, limit):
        raise RateLimitedError(message)
    hit(session, bucket, limit)
