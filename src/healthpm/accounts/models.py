"""Users. In single-user mode one local user owns everything; accounts add passwords and roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from healthpm.db import Base, utcnow

LOCAL_USER_EMAIL = "local@healthpm.invalid"


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    role: Mapped[str] = mapped_column(String(20), default="candidate")
    #: Server-wide actions (the shared FDA store). The first account, or `user create --admin`.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Set by `healthpm user disable`: the account cannot sign in; its data stays.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: The candidate lets coach scores of their answers be used as graded data.
    grading_consent: Mapped[bool] = mapped_column(Boolean, default=False)


class RetiredUserId(Base):
    """Ids of deleted accounts (nothing else): SQLite would otherwise hand the highest one
    to the next sign-up, so anything still naming the old id would name a stranger."""

    __tablename__ = "retired_user_id"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class AuthSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RateEvent(Base):
    """One counted event (a failed sign-in, a sign-up, a scored answer) in a named bucket.

    Kept in the database, not in process memory, so every worker and instance sees the
    same counts and a restart does not reset them.
    """

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_bucket_at", "bucket", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


SHARE_KINDS = ("plan", "practice", "stories")
ROLES = ("candidate", "coach")


class Share(Base):
    """A candidate lets a coach (by email) read one kind of item, until revoked."""

    __tablename__ = "share"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    coach_email: Mapped[str] = mapped_column(String(320), index=True)
    #: The coach account the share is bound to; None while an invitation is pending.
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None
    )
    #: SHA-256 of the one-time invitation token (pending shares only).
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Comment(Base):
    """A comment on a practice attempt, by a coach or (as a reply) by the candidate.

    user_id is the candidate who owns the attempt; `anchor` is the sentence of the answer the
    comment is about ("" for the whole answer); `read_at` is when the other side first saw it.
    """

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True, default=None
    )
    anchor: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class PasswordReset(Base):
    """A one-time password-reset link made by `healthpm user reset-link` (its SHA-256 only)."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
