"""The layout of a "download my data" file, and its validation (pydantic, no database).

Rows carry no database ids. Cross-references use `ref`, the row's position (1-based) in its
section, so a file exported, imported elsewhere and exported again is identical apart from
`exported_at` and `user`. Timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from fsrs import Card
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from healthpm.accounts.models import SHARE_KINDS
from healthpm.domain.feedback.schema import Feedback
from healthpm.errors import InvalidInputError
from healthpm.limits import (
    MAX_ANSWER_CHARS,
    MAX_EVIDENCE_CHARS,
    MAX_QUESTION_CHARS,
    check_answer_words,
)

FORMAT = "healthpm-export"
FORMAT_VERSION = 1
MAX_ROWS = 100_000
#: Deeper JSON than any export holds (about 9 levels) is refused before it is parsed further.
MAX_DEPTH = 32
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands timestamps back naive; they are stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _in_range(moment: datetime) -> datetime:
    try:
        utc = as_utc(moment)
    except OverflowError:
        raise ValueError("timestamp out of range") from None
    if not EARLIEST <= utc < LATEST:
        raise ValueError("timestamp must fall between 1970 and 2100")
    return utc


def _not_future(moment: datetime) -> datetime:
    """A record of something that happened: not later than now (a day of clock skew allowed).

    A far-future `updated_at` would otherwise stay "the newest" profile for good.
    """
    if moment > datetime.now(UTC) + timedelta(days=1):
        raise ValueError("timestamp lies in the future")
    return moment


#: Any timestamp in a file (review cards fall due in the future).
Stamp = Annotated[datetime, AfterValidator(_in_range)]
#: When something was created, updated, done or revoked.
PastStamp = Annotated[datetime, AfterValidator(_in_range), AfterValidator(_not_future)]
ShortText = Annotated[str, Field(max_length=200)]


def json_depth(data: object) -> int:
    """How deeply lists and objects nest (iteratively: deep input must not recurse)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            values = item.values() if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values)
    return deepest


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
    created_at: PastStamp
    updated_at: PastStamp


def _web_url(url: str | None) -> str | None:
    if url is not None and not url.lower().startswith(("https://", "http://")):
        raise ValueError("a task URL must start with http:// or https://")
    return url


WebUrl = Annotated[str | None, Field(max_length=2000), AfterValidator(_web_url)]
Hours = Annotated[float, Field(ge=0, le=10_000)]


class _Open(BaseModel):
    """Plan parts: the fields the pages read are typed; other keys are kept as they are."""

    model_config = ConfigDict(extra="allow")


class PlanTask(_Open):
    key: str = Field(min_length=1, max_length=64)
    track: str = Field(max_length=64)
    hours: Hours
    title: str = Field("", max_length=500)
    competency: str | None = Field(None, max_length=100)
    part: str = Field("", max_length=500)
    resource: str | None = Field(None, max_length=500)
    url: WebUrl = None


class PlanWeek(_Open):
    index: int = Field(ge=0, le=10_000)
    start: date
    end: date
    hours: Hours
    capacity: Hours
    tasks: list[PlanTask] = Field(max_length=10_000)


class PlanBudget(_Open):
    total: Hours
    tracks: dict[ShortText, Hours] = Field(max_length=100)
    explanation: list[Annotated[str, Field(max_length=2000)]] = Field([], max_length=100)


class PlanData(_Open):
    """A stored plan (navigator/export.py `plan_json`), validated as deep as the pages read it."""

    budget: PlanBudget
    weeks: list[PlanWeek] = Field(max_length=2_000)
    tasks: list[PlanTask] = Field(max_length=10_000)


class PlanPart(_Row):
    ref: int = Field(ge=1)
    profile_ref: int = Field(ge=1)
    data: dict[str, Any]
    created_at: PastStamp

    @field_validator("data")
    @classmethod
    def _plan(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Checked as a plan, kept exactly as written (a round trip changes nothing)."""
        PlanData.model_validate(data)
        return data


class TaskProgressPart(_Row):
    profile_name: str | None = Field(None, max_length=200)  # None: counts in no profile
    task_key: str = Field(min_length=1, max_length=64)
    done: bool
    done_at: PastStamp | None = None
    updated_at: PastStamp


class HoursPart(_Row):
    profile_name: str | None = Field(None, max_length=200)  # None: counts in no profile
    task_key: str | None = Field(None, max_length=64)
    track: str | None = Field(None, max_length=64)
    hours: float = Field(gt=0, le=24)
    logged_on: date
    note: str = Field("", max_length=500)
    created_at: PastStamp


QuestionRef = Annotated[str, Field(max_length=MAX_QUESTION_CHARS)]


class MockReport(_Row):
    """A finished mock interview's report (practice/mock.py `build_report`)."""

    asked: int = Field(ge=0, le=1000)
    answered: int = Field(ge=0, le=1000)
    skipped: list[QuestionRef] = Field([], max_length=1000)
    overall: float | None = Field(None, ge=0, le=5)
    dimensions: dict[ShortText, float] = Field({}, max_length=50)
    weakest_dimension: ShortText | None = None
    repeat: list[QuestionRef] = Field([], max_length=1000)
    flags: dict[ShortText, int] = Field({}, max_length=200)


class MockPart(_Row):
    ref: int = Field(ge=1)
    started_at: PastStamp
    ended_at: PastStamp | None = None
    minutes: int = Field(ge=1, le=180)
    level: str | None = Field(None, max_length=64)
    category: str | None = Field(None, max_length=64)
    question_ids: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=100)
    report: MockReport | None = None


class CommentPart(_Row):
    author_email: str = Field(max_length=320)
    body: str = Field(min_length=1, max_length=4000)
    created_at: PastStamp


#: A stored feedback object larger than this is not one healthpm wrote.
MAX_FEEDBACK_BYTES = 200_000


class AttemptPart(_Row):
    ref: int = Field(ge=1)
    question_id: str | None = Field(None, max_length=100)
    question_text: str = Field(max_length=MAX_QUESTION_CHARS)
    answer: str = Field(max_length=MAX_ANSWER_CHARS)
    feedback: Feedback
    overall: float = Field(ge=1, le=5)
    time_taken_s: float | None = Field(None, ge=0, le=86_400)
    mock_ref: int | None = Field(None, ge=1)
    redacted: bool = False
    created_at: PastStamp
    comments: list[CommentPart] = Field([], max_length=1000)
    profile_name: str | None = Field(None, max_length=200)
    reviewer: dict[str, Any] | None = None

    @field_validator("answer")
    @classmethod
    def _words(cls, answer: str) -> str:
        check_answer_words(answer)
        return answer

    @model_validator(mode="after")
    def _bounded_feedback(self) -> AttemptPart:
        for flag in self.feedback.flags:
            if len(flag.evidence) > MAX_EVIDENCE_CHARS or len(flag.advice) > MAX_EVIDENCE_CHARS:
                raise ValueError(
                    f"flag evidence and advice may have at most {MAX_EVIDENCE_CHARS} characters"
                )
        size = len(json.dumps(self.feedback.model_dump(mode="json")))
        if size > MAX_FEEDBACK_BYTES:
            raise ValueError(f"feedback of {size:,} bytes is larger than healthpm writes")
        if self.reviewer is not None and len(json.dumps(self.reviewer)) > MAX_FEEDBACK_BYTES:
            raise ValueError("a second opinion is larger than healthpm writes")
        return self


class CardPart(_Row):
    question_id: str = Field(min_length=1, max_length=100)
    card: dict[str, Any]
    prior_card: dict[str, Any] | None = None
    due_at: Stamp
    last_rating: int | None = Field(None, ge=1, le=4)
    updated_at: PastStamp

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
    created_at: PastStamp
    revoked_at: PastStamp | None = None


class CommentMadePart(_Row):
    """A comment this user wrote as a coach (kept in the file; not re-attached on import)."""

    candidate_email: str = Field(max_length=320)
    attempt_question: str = Field(max_length=MAX_QUESTION_CHARS)
    body: str = Field(max_length=4000)
    created_at: PastStamp


class ExportFile(_Row):
    format: Literal["healthpm-export"]
    version: int
    exported_at: PastStamp
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
    if json_depth(data) > MAX_DEPTH:
        raise InvalidInputError(f"not a healthpm export: nested deeper than {MAX_DEPTH} levels")
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
