"""Stored job matches: the posting as read and the match it got."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from healthpm.db import Base, utcnow


class JobMatch(Base):
    """One posting matched for a user (text as read, never fetched), and the result."""

    __tablename__ = "job_match"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(20), default="text")
    posting: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(64))
    fit: Mapped[int | None] = mapped_column(Integer, default=None)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
