"""Rate limits kept in the database, so every worker and instance counts the same events.

Each limit is a bucket name ("signin-account:ana@example.org") and a number of events per
window. Events are written in their own short transaction, committed at once: a failed
sign-in still counts when the request that saw it answers with an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import RateEvent
from healthpm.db import transaction, utcnow
from healthpm.errors import RateLimitedError


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` in one bucket."""

    count: int
    window: timedelta

    def describe(self) -> str:
        minutes = round(self.window.total_seconds() / 60)
        return f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"


class Throttle:
    """Counts and checks events per bucket on the app's store."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def used(self, bucket: str, limit: Limit) -> int:
        """Events in the bucket within the limit's window."""
        since = utcnow() - limit.window
        with transaction(self._factory) as session:
            return int(
                session.scalar(
                    select(func.count(RateEvent.id)).where(
                        RateEvent.bucket == bucket[:400], RateEvent.created_at >= since
                    )
                )
                or 0
            )

    def blocked(self, bucket: str, limit: Limit) -> bool:
        return self.used(bucket, limit) >= limit.count

    def hit(self, bucket: str, limit: Limit) -> None:
        """Count one event (and forget this bucket's events older than the window)."""
        now = utcnow()
        with transaction(self._factory) as session:
            session.execute(
                delete(RateEvent).where(
                    RateEvent.bucket == bucket[:400], RateEvent.created_at < now - limit.window
                )
            )
            session.add(RateEvent(bucket=bucket[:400], created_at=now))

    def clear(self, bucket: str) -> None:
        with transaction(self._factory) as session:
            session.execute(delete(RateEvent).where(RateEvent.bucket == bucket[:400]))

    def take(self, bucket: str, limit: Limit, message: str) -> None:
        """Count one event, or RateLimitedError when the bucket is already full."""
        if self.blocked(bucket, limit):
            raise RateLimitedError(message)
        self.hit(bucket, limit)
