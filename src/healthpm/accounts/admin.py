"""What an operator does to accounts: list, disable, set roles, rename, invite, import a cohort.

Invitations are one-time sign-up links (only their SHA-256 is stored) that fix the email and
the role; with `HEALTHPM_SIGNUP=invite` they are the only way in.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from healthpm.accounts.models import LOCAL_USER_EMAIL, ROLES, User
from healthpm.accounts.service import create_user, get_user_by_email, normalize_email
from healthpm.accounts.sessions import end_all_sessions, token_hash
from healthpm.coaching.models import SignupInvitation
from healthpm.db import utcnow
from healthpm.errors import ConflictError, InvalidInputError, NotFoundError

INVITE_DAYS = 14
MAX_IMPORT_ROWS = 5000


def accounts(session: Session) -> list[User]:
    """Every account except a one-person install's local user, oldest first."""
    return list(
        session.scalars(select(User).where(User.email != LOCAL_USER_EMAIL).order_by(User.id))
    )


def has_accounts(session: Session) -> bool:
    """True when the database holds real accounts (a multi-user server's database)."""
    other = select(func.count()).select_from(User).where(User.email != LOCAL_USER_EMAIL)
    return bool(session.scalar(other))


def account(session: Session, email: str) -> User:
    """The account with this email, or NotFoundError."""
    user = get_user_by_email(session, email)
    if user is None or user.email == LOCAL_USER_EMAIL:
        raise NotFoundError(f"no account with email {email.strip()}; see `healthpm user list`")
    return user


def set_disabled(session: Session, *, user: User, disabled: bool) -> User:
    """Disable (sign out everywhere, refuse sign-in; data kept) or enable an account."""
    user.disabled_at = utcnow() if disabled else None
    if disabled:
        end_all_sessions(session, user_id=user.id)
    session.flush()
    return user


def set_role(session: Session, *, user: User, role: str, admin: bool | None = None) -> User:
    """Make the account a candidate or a coach (and an admin or not, when given)."""
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    user.role = role
    if admin is not None:
        if not admin and user.is_admin and _admins(session) == 1:
            raise InvalidInputError("this is the last admin; make another admin first")
        user.is_admin = admin
    session.flush()
    return user


def _admins(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(User.is_admin)) or 0)


def rename(session: Session, *, user: User, name: str) -> User:
    """Set the name shown to coaches and in the header."""
    user.name = name.strip()[:200]
    session.flush()
    return user


@dataclass(frozen=True)
class Invitation:
    email: str
    role: str
    token: str
    expires_at: datetime


def invite(
    session: Session,
    *,
    email: str,
    name: str = "",
    role: str = "candidate",
    days: int = INVITE_DAYS,
) -> Invitation:
    """A one-time sign-up link for this email and role; a newer one replaces older ones."""
    address = normalize_email(email)
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if get_user_by_email(session, address) is not None:
        raise ConflictError(f"{address} already has an account")
    for old in session.scalars(
        select(SignupInvitation).where(
            SignupInvitation.email == address, SignupInvitation.used_at.is_(None)
        )
    ):
        session.delete(old)
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days)
    session.add(
        SignupInvitation(
            token_hash=token_hash(token),
            email=address,
            name=name.strip()[:200],
            role=role,
            expires_at=expires,
        )
    )
    session.flush()
    return Invitation(address, role, token, expires)


def open_invitation(session: Session, *, token: str) -> SignupInvitation:
    """The unused, unexpired invitation of this token, or NotFoundError."""
    row = None
    if 0 < len(token) <= 200:
        row = session.scalar(
            select(SignupInvitation).where(SignupInvitation.token_hash == token_hash(token))
        )
    if row is None or row.used_at is not None or _as_utc(row.expires_at) < utcnow():
        raise NotFoundError("this invitation link was used, has expired, or never existed")
    return row


def _as_utc(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def accept(session: Session, *, token: str, password: str, name: str = "") -> User:
    """Create the invited account (email and role from the invitation); the link is spent."""
    row = open_invitation(session, token=token)
    user = create_user(
        session, email=row.email, password=password, name=name or row.name, role=row.role
    )
    row.used_at = utcnow()
    session.flush()
    return user


def parse_cohort_csv(text: str) -> list[tuple[str, str, str]]:
    """Rows of (email, name, role) from a CSV with an `email` column (name, role optional)."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if "email" not in fields:
        raise InvalidInputError("the CSV needs a header row with an `email` column")
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("email"):
            continue
        role = row.get("role") or "candidate"
        if role not in ROLES:
            raise InvalidInputError(f"line {number}: role must be one of {', '.join(ROLES)}")
        rows.append((normalize_email(row["email"]), row.get("name", ""), role))
        if len(rows) > MAX_IMPORT_ROWS:
            raise InvalidInputError(f"at most {MAX_IMPORT_ROWS} people per import")
    return rows


def import_cohort(
    session: Session, *, rows: list[tuple[str, str, str]], days: int = INVITE_DAYS
) -> tuple[list[Invitation], list[str]]:
    """Invite every row without an account; returns the invitations and the emails skipped."""
    made: list[Invitation] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for email, name, role in rows:
        if email in seen:
            continue
        seen.add(email)
        if get_user_by_email(session, email) is not None:
            skipped.append(email)
            continue
        made.append(invite(session, email=email, name=name, role=role, days=days))
    return made, skipped
