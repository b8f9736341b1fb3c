"""Server-side sign-in sessions: a random token in the cookie, its SHA-256 in the database.

A session ends at sign-out, after `session_idle_minutes` unused, `session_max_days` after
sign-in, and for every browser of a user at a password change or reset and at account
deletion. Every process reads the same table, so `serve --workers N` and several instances
behind a proxy agree on who is signed in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import AuthSession, User
from healthpm.accounts.portability_schema import as_utc
from healthpm.db import utcnow

#: Write `last_seen_at` at most this often, so reading a page is not a write each time.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives: unused (idle) and at most (absolute)."""

    idle: timedelta
    absolute: timedelta


def token_hash(token: str) -> str:
    """The stored form of a session token (the token itself never reaches the database)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, *, user: User) -> str:
    """A new session for the user; returns the token for the cookie (256 random bits)."""
    token = secrets.token_urlsafe(32)
    session.add(AuthSession(token_hash=token_hash(token), user_id=user.id))
    session.flush()
    return token


def end_session(session: Session, *, token: str | None) -> None:
    """Forget one session (sign-out, or the old one at sign-in)."""
    if token:
        session.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, *, user_id: int) -> None:
    """Sign the user out everywhere (password change or reset, account deletion)."""
    session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


def _expired(row: AuthSession, policy: SessionPolicy, now: datetime) -> bool:
    return (
        now - as_utc(row.last_seen_at) > policy.idle
        or now - as_utc(row.created_at) > policy.absolute
    )


def session_user(
    session: Session, *, token: str | None, policy: SessionPolicy, now: datetime | None = None
) -> User | None:
    """The user of a live session, or None; an expired session is deleted on sight."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == token_hash(token)))
    if row is None:
        return None
    now = now or utcnow()
    if _expired(row, policy, now):
        session.delete(row)
        session.flush()
        return None
    if now - as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
    user = session.get(User, row.user_id)
    return None if user is None or user.disabled_at is not None else user


def purge_expired(session: Session, *, policy: SessionPolicy, now: datetime | None = None) -> int:
    """Delete every expired session; returns how many (run at sign-in, so the table stays small)."""
    now = now or utcnow()
    stale = delete(AuthSession).where(
        (AuthSession.last_seen_at < now - policy.idle)
        | (AuthSession.created_at < now - policy.absolute)
    )
    return int(session.execute(stale).rowcount or 0)  # type: ignore[attr-defined]
