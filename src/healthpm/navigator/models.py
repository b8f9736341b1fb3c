"""Stored navigator state: profiles, plans, task progress and logged hours."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from healthpm.db import Base, utcnow


class Profile(Base):
    __tablename__ = "profile"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TaskProgress(Base):
    """Done state of a plan task, keyed by the task's stable key so re-plans keep it.

    Per profile: a tick belongs to the profile whose plan was current when it was made, so
    two profiles whose plans share a task key do not share its tick. A row without a profile
    (none could be told when it was migrated) counts in no profile.
    """

    __tablename__ = "task_progress"
    __table_args__ = (UniqueConstraint("user_id", "profile_name", "task_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    profile_name: Mapped[str | None] = mapped_column(String(200), default=None)
    task_key: Mapped[str] = mapped_column(String(64))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class HoursLog(Base):
    """Hours spent, under the profile whose plan was current (NULL: counts in no profile)."""

    __tablename__ = "hours_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    profile_name: Mapped[str | None] = mapped_column(String(200), default=None)
    task_key: Mapped[str | None] = mapped_column(String(64), default=None)
    track: Mapped[str | None] = mapped_column(String(64), default=None)
    hours: Mapped[float] = mapped_column(Float)
    logged_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
