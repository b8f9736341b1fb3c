"""Stored coaching state: a coach's review of an attempt, assignments, sign-up invitations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from healthpm.db import Base, utcnow

USER_FK = "user_account.id"


class CoachReview(Base):
    """One coach's rubric score of one attempt, beside the automatic one; marks it reviewed."""

    __tablename__ = "coach_review"
    __table_args__ = (UniqueConstraint("attempt_id", "coach_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    #: The candidate who owns the attempt.
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    #: 1-5, as the automatic overall score; None when the coach only marked it reviewed.
    overall: Mapped[float | None] = mapped_column(Float, default=None)
    #: dimension id -> 1-5, only the dimensions the coach scored.
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


ASSIGNMENT_KINDS = ("question", "mock")


class Assignment(Base):
    """A question to answer or a mock interview to sit, set by a coach for one candidate."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[str | None] = mapped_column(String(100), default=None)
    minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(String(500), default="")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignupInvitation(Base):
    """A one-time sign-up link made by `healthpm user invite` or `user import` (hash only)."""

    __tablename__ = "signup_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="candidate")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
