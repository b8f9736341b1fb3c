"""The profile schema other tools rely on, and its validation against the catalog."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from healthpm.catalog import Catalog
from healthpm.errors import ProfileError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Rating = Annotated[int, Field(ge=0, le=4, strict=True)]


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
    evidence: dict[str, str] = {}
    unavailable: list[date | str] = Field(
        default=[], description="ISO dates, or weekday names such as 'saturday' for shift workers"
    )

    @field_validator("unavailable")
    @classmethod
    def _weekday_names(cls, values: list[date | str]) -> list[date | str]:
        cleaned: list[date | str] = []
        for value in values:
            if isinstance(value, str) and value.lower() not in WEEKDAYS:
                try:  # a stored profile (JSON) or a web form gives its dates as text
                    value = date.fromisoformat(value.strip())
                except ValueError:
                    raise ValueError(
                        f"{value!r} is neither an ISO date nor a weekday name"
                    ) from None
            cleaned.append(value.lower() if isinstance(value, str) else value)
        if set(WEEKDAYS) <= set(cleaned):
            raise ValueError("every weekday is unavailable; leave at least one day to study")
        return cleaned

    def unavailable_dates(self) -> set[date]:
        return {v for v in self.unavailable if isinstance(v, date)}

    def unavailable_weekdays(self) -> set[int]:
        return {WEEKDAYS.index(v) for v in self.unavailable if isinstance(v, str)}


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
