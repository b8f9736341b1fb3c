"""User lookups and account changes shared by every front end."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import LOCAL_USER_EMAIL, ROLES, RetiredUserId, User
from healthpm.accounts.passwords import check_password_rules, hash_password, verify_password
from healthpm.accounts.sessions import end_all_sessions
from healthpm.db import get_by_id
from healthpm.errors import AuthError, ConflictError, InvalidInputError, NotFoundError


def ensure_local_user(session: Session) -> User:
    """The single local user of a one-person install, created on first use."""
    user = session.scalar(select(User).where(User.email == LOCAL_USER_EMAIL))
    if user is None:
        user = User(id=_next_user_id(session), email=LOCAL_USER_EMAIL, name="Local user")
        session.add(user)
        session.flush()
    return user


def _next_user_id(session: Session) -> int | None:
    """On SQLite, an id above every id ever used (it would reuse a deleted account's id).

    Other databases use a sequence, which never hands out an id twice: None lets it choose.
    """
    if session.get_bind().dialect.name != "sqlite":
        return None
    highest = max(
        session.scalar(select(func.max(User.id))) or 0,
        session.scalar(select(func.max(RetiredUserId.id))) or 0,
    )
    return highest + 1


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


def _first_account(session: Session) -> bool:
    other = select(User.id).where(User.email != LOCAL_USER_EMAIL).limit(1)
    return session.scalar(other) is None


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    name: str = "",
    role: str = "candidate",
    admin: bool = False,
) -> User:
    """A new account with an argon2 password hash; ConflictError when the email is taken.

    The first account of an install is its admin; `admin=True` makes another one.
    """
    address = normalize_email(email)
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    check_password_rules(password, email=address)
    if get_user_by_email(session, address) is not None:
        raise ConflictError(f"an account with email {address} already exists; sign in instead")
    user = User(
        id=_next_user_id(session),
        email=address,
        name=name.strip()[:200],
        role=role,
        password_hash=hash_password(password),
        is_admin=admin or _first_account(session),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user whose email and password match, or AuthError (same message either way)."""
    user = get_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise AuthError("email or password is wrong")
    if user.disabled_at is not None:
        raise AuthError("this account is disabled; ask the server's admin")
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    """Replace a user's password (used by `healthpm user reset-password`)."""
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"no account with email {email.strip()}")
    check_password_rules(password, email=user.email)
    user.password_hash = hash_password(password)
    end_all_sessions(session, user_id=user.id)  # a stolen cookie dies with the old password
    session.flush()
    return user


def change_password(session: Session, *, user: User, current: str, new: str) -> User:
    """The user's own password change: the current one must match; every session ends."""
    if not verify_password(user.password_hash, current):
        raise AuthError("the current password is wrong; nothing was changed")
    return set_password(session, email=user.email, password=new)


def delete_user(session: Session, *, user: User) -> None:
    """Delete an account; its rows go with it (every user table cascades on user_id)."""
    retire_user(session, user_id=user.id)
    session.delete(user)
    session.flush()


def retire_user(session: Session, *, user_id: int) -> None:
    """End the user's sessions and record the id as used, before the account row goes."""
    end_all_sessions(session, user_id=user_id)
    if session.get(RetiredUserId, user_id) is None:
        session.add(RetiredUserId(id=user_id))
