"""The layout of a "download my data" file, and its validation (pydantic, no database).

Rows carry no database ids. Cross-references use `ref`, the row's position (1-based) in its
section, so a file exported, imported elsewhere and exported again is identical apart from
`exported_at` and `user`. Timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from fsrs import Card
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from healthpm.accounts.models import SHARE_KINDS
from healthpm.domain.feedback.schema import Feedback
from healthpm.errors import InvalidInputError

FORMAT = "healthpm-export"
FORMAT_VERSION = 1
MAX_ROWS = 100_000


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands timestamps back naive; they are stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ts(moment: datetime | None) -> str | None:
    """The one text form of a timestamp in files and de-duplication keys."""
    return None if moment is None else as_utc(moment).isoformat()


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserPart(_Row):
    email: str = Field(max_length=320)
    name: str = Field("", max_length=200)
    role: str = Field("candidate", max_length=20)


class ProfilePart(_Row):
    ref: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class PlanData(BaseModel):
    """The parts of a stored plan the pages read; the rest is kept as it is."""

    model_config = ConfigDict(extra="allow")

    budget: dict[str, Any]
    weeks: list[dict[str, Any]]
    tasks: list[dict[str, Any]]

    @field_validator("tasks")
    @classmethod
    def _task_fields(cls, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for task in tasks:
            if not {"key", "track", "hours"} <= set(task):
                raise ValueError("every task needs key, track and hours")
        return tasks


class PlanPart(_Row):
    ref: int = Field(ge=1)
    profile_ref: int = Field(ge=1)
    data: PlanData
    created_at: datetime


class TaskProgressPart(_Row):
    task_key: str = Field(min_length=1, max_length=64)
    done: bool
    done_at: datetime | None = None
    updated_at: datetime


class HoursPart(_Row):
    task_key: str | None = Field(None, max_length=64)
    track: str | None = Field(None, max_length=64)
    hours: float = Field(gt=0, le=24)
    logged_on: date
    note: str = Field("", max_length=500)
    created_at: datetime


class MockPart(_Row):
    ref: int = Field(ge=1)
    started_at: datetime
    ended_at: datetime | None = None
    minutes: int = Field(ge=1, le=180)
    level: str | None = Field(None, max_length=64)
    category: str | None = Field(None, max_length=64)
    question_ids: list[str] = []
    report: dict[str, Any] | None = None


class CommentPart(_Row):
    author_email: str = Field(max_length=320)
    body: str = Field(min_length=1, max_length=4000)
    created_at: datetime


class AttemptPart(_Row):
    ref: int = Field(ge=1)
    question_id: str | None = Field(None, max_length=100)
    question_text: str
    answer: str
    feedback: Feedback
    overall: float = Field(ge=1, le=5)
    time_taken_s: float | None = Field(None, ge=0)
    mock_ref: int | None = Field(None, ge=1)
    redacted: bool = False
    reviewer: dict[str, Any] | None = None
    created_at: datetime
    comments: list[CommentPart] = []


class CardPart(_Row):
    question_id: str = Field(min_length=1, max_length=100)
    card: dict[str, Any]
    prior_card: dict[str, Any] | None = None
    due_at: datetime
    last_rating: int | None = Field(None, ge=1, le=4)
    updated_at: datetime

    @field_validator("card", "prior_card")
    @classmethod
    def _fsrs_card(cls, state: dict[str, Any] | None) -> dict[str, Any] | None:
        if state is not None:
            try:
                Card.from_dict(state)  # type: ignore[arg-type]
            except Exception as exc:  # fsrs raises KeyError, ValueError or TypeError
                raise ValueError(f"not a review card ({type(exc).__name__})") from None
        return state


class StoryPart(_Row):
    title: str = Field(min_length=1, max_length=200)
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    background: str | None = Field(None, max_length=64)
    analysis: dict[str, Any] = {}
    feedback: dict[str, Any] | None = None
    score: float | None = Field(None, ge=1, le=5)
    redacted: bool = False
    created_at: datetime
    updated_at: datetime


class JobMatchPart(_Row):
    title: str = Field(min_length=1, max_length=300)
    company: str = Field("", max_length=200)
    origin: str = Field("text", max_length=20)
    posting: str
    level: str = Field(min_length=1, max_length=64)
    fit: int | None = Field(None, ge=0, le=100)
    result: dict[str, Any]
    created_at: datetime


class SharePart(_Row):
    coach_email: str = Field(max_length=320)
    kind: Literal[SHARE_KINDS]  # type: ignore[valid-type]
    created_at: datetime
    revoked_at: datetime | None = None


class CommentMadePart(_Row):
    """A comment this user wrote as a coach (kept in the file; not re-attached on import)."""

    candidate_email: str = Field(max_length=320)
    attempt_question: str
    body: str
    created_at: datetime


class ExportFile(_Row):
    format: Literal["healthpm-export"]
    version: int
    exported_at: datetime
    user: UserPart
    profiles: list[ProfilePart] = Field([], max_length=MAX_ROWS)
    plans: list[PlanPart] = Field([], max_length=MAX_ROWS)
    task_progress: list[TaskProgressPart] = Field([], max_length=MAX_ROWS)
    hours: list[HoursPart] = Field([], max_length=MAX_ROWS)
    mock_sessions: list[MockPart] = Field([], max_length=MAX_ROWS)
    attempts: list[AttemptPart] = Field([], max_length=MAX_ROWS)
    review_cards: list[CardPart] = Field([], max_length=MAX_ROWS)
    stories: list[StoryPart] = Field([], max_length=MAX_ROWS)
    job_matches: list[JobMatchPart] = Field([], max_length=MAX_ROWS)
    shares: list[SharePart] = Field([], max_length=MAX_ROWS)
    comments_made: list[CommentMadePart] = Field([], max_length=MAX_ROWS)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(file)"
    return f"{where}: {err['msg']}"


def _check_refs(doc: ExportFile) -> None:
    for section in ("profiles", "plans", "mock_sessions", "attempts"):
        refs = [row.ref for row in getattr(doc, section)]
        if len(refs) != len(set(refs)):
            raise InvalidInputError(f"not a healthpm export: {section} has repeated refs")
    profiles = {p.ref for p in doc.profiles}
    mocks = {m.ref for m in doc.mock_sessions}
    for i, plan in enumerate(doc.plans):
        if plan.profile_ref not in profiles:
            raise InvalidInputError(
                f"not a healthpm export: plans.{i}.profile_ref names no profile"
            )
    for i, attempt in enumerate(doc.attempts):
        if attempt.mock_ref is not None and attempt.mock_ref not in mocks:
            raise InvalidInputError(f"not a healthpm export: attempts.{i}.mock_ref names no mock")
    keys = [t.task_key for t in doc.task_progress]
    cards = [c.question_id for c in doc.review_cards]
    if len(keys) != len(set(keys)) or len(cards) != len(set(cards)):
        raise InvalidInputError("not a healthpm export: a task or review card appears twice")


def parse_export(data: object) -> ExportFile:
    """The validated file, or InvalidInputError naming the first problem."""
    if not isinstance(data, dict):
        raise InvalidInputError("not a healthpm export: the file must hold a JSON object")
    if data.get("format") != FORMAT:
        raise InvalidInputError(f"not a healthpm export: 'format' must be {FORMAT!r}")
    if data.get("version") != FORMAT_VERSION:
        raise InvalidInputError(
            f"export format version {data.get('version')!r} is not supported; "
            f"this healthpm reads version {FORMAT_VERSION}"
        )
    try:
        doc = ExportFile.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(f"not a valid healthpm export: {_first_error(exc)}") from None
    _check_refs(doc)
    return doc
