"""Stored practice state: attempts, spaced-repetition cards and mock interview sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from healthpm.db import Base, utcnow

USER_FK = "user_account.id"


class MockSession(Base):
    """A timed mock interview: the questions picked, and the end report once it is over."""

    __tablename__ = "mock_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    minutes: Mapped[int] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(64), default=None)
    category: Mapped[str | None] = mapped_column(String(64), default=None)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class Attempt(Base):
    """One written answer and the feedback it got (the answer redacted when the user chose)."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    question_id: Mapped[str | None] = mapped_column(String(100), default=None, index=True)
    question_text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    feedback: Mapped[dict[str, Any]] = mapped_column(JSON)
    overall: Mapped[float] = mapped_column(Float)
    time_taken_s: Mapped[float | None] = mapped_column(Float, default=None)
    mock_id: Mapped[int | None] = mapped_column(
        ForeignKey("mock_session.id", ondelete="SET NULL"), default=None, index=True
    )
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the optional LLM reviewer's second opinion, and what was sent where (never PHI)
    reviewer: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The profile that was current when answering, so each profile has its own history
    #: (None: answered before profiles were recorded, or without a profile; shown with all).
    profile_name: Mapped[str | None] = mapped_column(String(200), default=None)


class ReviewCard(Base):
    """FSRS state of one question for one user; `prior_card` lets a rating override replace
    the last automatic review instead of stacking a second one."""

    __tablename__ = "review_card"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    prior_card: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_rating: Mapped[int | None] = mapped_column(Integer, default=None)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
