"""User lookups shared by every front end."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import LOCAL_USER_EMAIL, User


def ensure_local_user(session: Session) -> User:
    """The single local user of a one-person install, created on first use."""
    user = session.scalar(select(User).where(User.email == LOCAL_USER_EMAIL))
    if user is None:
        user = User(email=LOCAL_USER_EMAIL, name="Local user")
        session.add(user)
        session.flush()
    return user
