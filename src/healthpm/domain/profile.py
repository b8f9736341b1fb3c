"""The profile schema other tools rely on, and its validation against the catalog."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_serializer,
    field_validator,
)

from healthpm.catalog import Catalog
from healthpm.domain.holidays import DEFAULT_COUNTRY, normalise
from healthpm.errors import ProfileError
from healthpm.limits import MAX_EVIDENCE_CHARS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Rating = Annotated[int, Field(ge=0, le=4, strict=True)]
STUDY_START = time(19, 0)
_CLOCK = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


class Profile(BaseModel):
    """One person's situation: where they come from, where they aim, what they can give."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    background: str
    years_experience: float = Field(ge=0, le=60)
    current_role: str | None = Field(None, max_length=200)
    target_level: str
    hours_per_week: float = Field(ge=1, le=40)
    start_date: date
    ratings: dict[str, Rating] = {}
    evidence: dict[str, Annotated[str, Field(max_length=MAX_EVIDENCE_CHARS)]] = {}
    unavailable: list[date | str] = Field(
        default=[], description="ISO dates, or weekday names such as 'saturday' for shift workers"
    )
    holiday_country: str = Field(
        DEFAULT_COUNTRY,
        max_length=10,
        description="two-letter country whose public holidays are not study days, or 'none'",
    )
    holiday_subdivision: str | None = Field(
        None, max_length=20, description="optional state, province or nation, such as 'CA'"
    )
    study_start: time = Field(
        STUDY_START, description="when study blocks start on a study day, 24-hour 'HH:MM'"
    )

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, value: str) -> str:
        return normalise(value, None)[0]

    @field_validator("holiday_subdivision")
    @classmethod
    def _subdivision(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("holiday_country")
        return value if country is None else normalise(country, value)[1]

    @field_validator("study_start", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> Any:
        return study_start_time(value)

    @field_serializer("study_start")
    def _hh_mm(self, value: time) -> str:
        return value.strftime("%H:%M")

    @field_validator("unavailable")
    @classmethod
    def _weekday_names(cls, values: list[date | str]) -> list[date | str]:
        cleaned: list[date | str] = []
        for value in values:
            cleaned.append(_day(value))
        if len(cleaned) > 1000:
            raise ValueError("at most 1000 unavailable days")
        if set(WEEKDAYS) <= set(cleaned):
            raise ValueError("every weekday is unavailable; leave at least one day to study")
        return cleaned

    def unavailable_dates(self) -> set[date]:
        return {v for v in self.unavailable if isinstance(v, date)}

    def unavailable_weekdays(self) -> set[int]:
        return {WEEKDAYS.index(v) for v in self.unavailable if isinstance(v, str)}


def study_start_time(value: Any) -> Any:
    """'19:00', '7:30' or a time. YAML 1.1 reads an unquoted 19:00 as the number 1140 (base
    60), so a whole number of minutes after midnight is taken as that clock time too."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)
    if isinstance(value, str):
        found = _CLOCK.match(value)
        if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
            raise ValueError(f"{value!r} is not a time of day; write it as HH:MM, e.g. 19:00")
        return time(int(found.group(1)), int(found.group(2)))
    return value


def _day(value: date | str) -> date | str:
    """A date, or a lower-case weekday name. JSON brings ISO dates back as strings (a saved
    profile read again, an export imported), so those become dates again here."""
    if isinstance(value, date):
        return value
    if value.lower() in WEEKDAYS:
        return value.lower()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is neither an ISO date nor a weekday name") from None


def _field_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(profile)"
    if first["type"] == "extra_forbidden":
        allowed = ", ".join(Profile.model_fields)
        return f"field '{field}' is not a profile field; allowed: {allowed}"
    if first["type"] == "missing":
        return f"field '{field}' is required"
    return f"field '{field}': {first['msg']}"


def _allowed(ids: Any) -> str:
    return ", ".join(ids)


def _check_ids(profile: Profile, catalog: Catalog) -> None:
    if profile.background not in catalog.backgrounds:
        raise ProfileError(
            f"field 'background': unknown id {profile.background!r}; "
            f"allowed: {_allowed(catalog.backgrounds)}"
        )
    if profile.target_level not in catalog.levels:
        raise ProfileError(
            f"field 'target_level': unknown id {profile.target_level!r}; "
            f"allowed: {_allowed(lv.id for lv in catalog.levels_ascending())}"
        )
    for section in ("ratings", "evidence"):
        for key in getattr(profile, section):
            if key not in catalog.competencies:
                raise ProfileError(
                    f"field '{section}.{key}': unknown competency id; "
                    f"see `healthpm content list competencies`"
                )


def validate_profile(data: Any, catalog: Catalog, *, origin: str = "profile") -> Profile:
    """A Profile from parsed YAML/JSON, or ProfileError naming the field and what is allowed."""
    if not isinstance(data, dict):
        raise ProfileError(f"{origin}: expected a mapping of profile fields at the top level")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{origin}: {_field_error(exc)}") from None
    try:
        _check_ids(profile, catalog)
    except ProfileError as exc:
        raise ProfileError(f"{origin}: {exc}") from None
    return profile
