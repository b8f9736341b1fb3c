"""Password-reset links: an operator makes one (`healthpm user reset-link EMAIL`) and sends it;
the person sets a new password at /reset/<token> without anyone touching a shell.

A link is 256 random bits; only its SHA-256 is stored. It works once, for RESET_HOURS, and a
newer link for the same account replaces the older ones. Using it sets the password under the
sign-up rules and ends every session of the account (a stolen cookie dies with the old
password).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import PasswordReset, User
from healthpm.accounts.service import set_password
from healthpm.accounts.sessions import token_hash
from healthpm.db import utcnow
from healthpm.errors import InvalidInputError, NotFoundError

RESET_HOURS = 24
MAX_RESET_HOURS = 24 * 7
#: The one answer for a wrong, used or expired link, so none of them tells which.
LINK_REFUSED = "this reset link was used, has expired, or never existed; ask for a new one"


@dataclass(frozen=True)
class ResetLink:
    email: str
    token: str
    expires_at: datetime


def make_reset_link(session: Session, *, user: User, hours: int = RESET_HOURS) -> ResetLink:
    """A one-time reset token for the account, valid `hours`; older unused ones stop working."""
    if not 1 <= hours <= MAX_RESET_HOURS:
        raise InvalidInputError(f"a reset link lasts 1 to {MAX_RESET_HOURS} hours, not {hours}")
    if user.disabled_at is not None:
        raise InvalidInputError(
            f"{user.email} is disabled; `healthpm user enable {user.email}` first"
        )
    _forget_unused(session, user_id=user.id)
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=hours)
    session.add(PasswordReset(token_hash=token_hash(token), user_id=user.id, expires_at=expires))
    session.flush()
    return ResetLink(user.email, token, expires)


def _forget_unused(session: Session, *, user_id: int) -> None:
    session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None)
        )
    )


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def open_reset(session: Session, *, token: str) -> tuple[PasswordReset, User]:
    """The unused, unexpired reset of this token and its account, or NotFoundError."""
    row = None
    if 0 < len(token) <= 200:
        row = session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
        )
    if row is None or row.used_at is not None or _as_utc(row.expires_at) < utcnow():
        raise NotFoundError(LINK_REFUSED)
    user = session.get(User, row.user_id)
    if user is None or user.disabled_at is not None:
        raise NotFoundError(LINK_REFUSED)
    return row, user


def use_reset(session: Session, *, token: str, password: str) -> User:
    """Set the new password (sign-up rules), spend the link and end every session."""
    row, user = open_reset(session, token=token)
    set_password(session, email=user.email, password=password)  # ends every session
    row.used_at = utcnow()
    session.flush()
    _forget_unused(session, user_id=user.id)
    session.flush()
    return user
