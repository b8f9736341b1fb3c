"""User lookups and account changes shared by every front end."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import LOCAL_USER_EMAIL, ROLES, User
from healthpm.accounts.passwords import check_password_rules, hash_password, verify_password
from healthpm.db import get_by_id
from healthpm.errors import AuthError, ConflictError, InvalidInputError, NotFoundError


def ensure_local_user(session: Session) -> User:
    """The single local user of a one-person install, created on first use."""
    user = session.scalar(select(User).where(User.email == LOCAL_USER_EMAIL))
    if user is None:
        user = User(email=LOCAL_USER_EMAIL, name="Local user")
        session.add(user)
        session.flush()
    return user


def normalize_email(email: str) -> str:
    """Trimmed, lower-cased email, or InvalidInputError when it cannot be one."""
    value = email.strip().lower()
    local, _, domain = value.partition("@")
    if not local or "." not in domain or len(value) > 320 or " " in value:
        raise InvalidInputError(f"{email.strip()!r} is not an email address")
    return value


def get_user_by_email(session: Session, email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User:
    """A user by id, or NotFoundError."""
    user = get_by_id(session, User, user_id)
    if user is None:
        raise NotFoundError(f"no user with id {user_id}")
    return user


def create_user(
    session: Session, *, email: str, password: str, name: str = "", role: str = "candidate"
) -> User:
    """A new account with an argon2 password hash; ConflictError when the email is taken."""
    address = normalize_email(email)
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    check_password_rules(password)
    if get_user_by_email(session, address) is not None:
        raise ConflictError(f"an account with email {address} already exists; sign in instead")
    user = User(
        email=address, name=name.strip()[:200], role=role, password_hash=hash_password(password)
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user whose email and password match, or AuthError (same message either way)."""
    user = get_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise AuthError("email or password is wrong")
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    """Replace a user's password (used by `healthpm user reset-password`)."""
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"no account with email {email.strip()}")
    check_password_rules(password)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def delete_user(session: Session, *, user: User) -> None:
    """Delete an account; its rows go with it (every user table cascades on user_id)."""
    session.delete(user)
    session.flush()
