"""`healthpm init`: write a profile, by prompts or by flags (for scripts)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any

import typer

from healthpm.catalog import Catalog, get_catalog
from healthpm.cli.common import console
from healthpm.domain.content import PROFICIENCY
from healthpm.domain.holidays import DEFAULT_COUNTRY, NO_HOLIDAYS, normalise
from healthpm.domain.profile import WEEKDAYS, study_start_time, validate_profile
from healthpm.errors import InvalidInputError
from healthpm.navigator.profile_io import write_profile


def _pairs(values: list[str], option: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise InvalidInputError(f"{option} takes COMPETENCY=VALUE, not {value!r}")
        out[key.strip()] = rest.strip()
    return out


def _ratings(values: list[str]) -> dict[str, int]:
    out = {}
    for key, value in _pairs(values, "--rate").items():
        if value not in {"0", "1", "2", "3", "4"}:
            raise InvalidInputError(f"--rate {key}: rating must be 0-4, not {value!r}")
        out[key] = int(value)
    return out


Check = Callable[[str], Any]  # returns the value to store, or raises ValueError(plain words)

NOT_SURE = ("", "?", "n", "not sure", "skip")


def _ask(label: str, check: Check, default: str | None = None) -> Any:
    """Ask until the answer passes its check; the check's message says what to type."""
    while True:
        answer = str(typer.prompt(label, default=default, show_default=bool(default))).strip()
        try:
            return check(answer)
        except ValueError as exc:
            console.print(f"  {exc}", highlight=False, style="red")


def _choice(options: dict[str, str], what: str) -> Check:
    """Accept an id or a name in any case, or the number shown beside it."""
    keys = list(options)

    def check(answer: str) -> str:
        low = answer.lower()
        for n, (key, name) in enumerate(options.items(), 1):
            if low in (key.lower(), name.lower(), str(n)):
                return key
        raise ValueError(f"type a number from 1 to {len(keys)}, or one of the {what} above")

    return check


def _number(low: float, high: float, what: str) -> Check:
    def check(answer: str) -> float:
        try:
            value = float(answer)
        except ValueError:
            raise ValueError(f"type {what} as a number from {low:g} to {high:g}, like 8") from None
        if not low <= value <= high:
            raise ValueError(f"{what} must be from {low:g} to {high:g}")
        return value

    return check


def _name(answer: str) -> str:
    if not answer or len(answer) > 200:
        raise ValueError("type a name (up to 200 characters); it labels the profile")
    return answer


def _day(answer: str) -> str:
    try:
        return date.fromisoformat(answer).isoformat()
    except ValueError:
        raise ValueError("type a date as YYYY-MM-DD, like 2027-01-04") from None


def _days_off(answer: str) -> list[str]:
    """Comma-separated weekday names (shift pattern) and YYYY-MM-DD dates; empty for none."""
    out = []
    for part in (p.strip().lower() for p in answer.split(",")):
        if not part:
            continue
        if part in WEEKDAYS:
            out.append(part)
            continue
        try:
            out.append(date.fromisoformat(part).isoformat())
        except ValueError:
            raise ValueError(f"{part!r} is neither a weekday (like tuesday) nor a date") from None
    if set(WEEKDAYS) <= set(out):
        raise ValueError("leave at least one weekday free to study")
    return out


def _clock(answer: str) -> str:
    """A study start time as HH:MM (24-hour)."""
    try:
        value = study_start_time(answer)
    except ValueError:
        value = None
    if not isinstance(value, time):
        raise ValueError("type a time as HH:MM on the 24-hour clock, like 19:00")
    return value.strftime("%H:%M")


def _country(answer: str) -> str:
    return normalise(answer, None)[0]


def _subdivision(country: str) -> Check:
    def check(answer: str) -> str | None:
        if not answer or country == NO_HOLIDAYS:
            return None
        return normalise(country, answer)[1]

    return check


def _rating(answer: str) -> int | None:
    if answer.lower() in NOT_SURE:
        return None
    if answer in {"0", "1", "2", "3", "4"}:
        return int(answer)
    raise ValueError("type 0-4, or press Enter if you are not sure")


def _ask_ratings(catalog: Catalog, target: str) -> tuple[dict[str, int], dict[str, str]]:
    console.print(
        "Rate yourself 0-4 on each competency ("
        + ", ".join(f"{k} {v}" for k, v in PROFICIENCY.items())
        + "). Press Enter if you are not sure: your background's typical level is assumed."
    )
    ratings: dict[str, int] = {}
    evidence: dict[str, str] = {}
    for theme in catalog.themes.values():
        console.print(f"\n[bold]{theme.name}[/]")
        for comp in (c for c in catalog.competencies.values() if c.theme == theme.id):
            console.print(
                f"{comp.name}: the {catalog.levels[target].name} bar is "
                f"{comp.expected[target]} — {comp.meets.get(target, '')}",
                highlight=False,
            )
            value = _ask(f"  {comp.name} (0-4, Enter = not sure)", _rating, default="")
            if value is None:
                continue
            ratings[comp.id] = value
            if value >= 3:
                note = str(typer.prompt("  Evidence (optional)", default="", show_default=False))
                if note.strip():
                    evidence[comp.id] = note.strip()[:2000]
    return ratings, evidence


def _asks(catalog: Catalog) -> dict[str, tuple[str, Check, str | None]]:
    backgrounds = {b.id: b.name for b in catalog.backgrounds.values()}
    levels = {lv.id: lv.name for lv in catalog.levels_ascending()}
    return {
        "name": ("Your name", _name, None),
        "background": ("Background", _choice(backgrounds, "backgrounds"), None),
        "current_role": ("Current role (optional)", lambda a: a[:200] or None, ""),
        "years_experience": ("Years of experience", _number(0, 60, "years"), None),
        "target_level": ("Target level", _choice(levels, "levels"), None),
        "hours_per_week": ("Hours per week", _number(1, 40, "hours per week"), None),
        "start_date": ("Start date", _day, date.today().isoformat()),
        "unavailable": (
            "Days you cannot study (weekdays like tuesday, or dates; comma-separated; "
            "Enter for none)",
            _days_off,
            "",
        ),
        "study_start": ("Study blocks start at (HH:MM, 24-hour)", _clock, "19:00"),
        "holiday_country": (
            "Public holidays to skip: country code (US, GB, CA, DE...) or none",
            _country,
            DEFAULT_COUNTRY,
        ),
        "holiday_subdivision": (
            "State, province or nation code for its own holidays (optional, Enter for none)",
            _subdivision(DEFAULT_COUNTRY),
            "",
        ),
    }


def _list(options: dict[str, str]) -> None:
    for n, (key, name) in enumerate(options.items(), 1):
        console.print(f"  {n}. {name} [dim]({key})[/]", highlight=False)


def _collect(catalog: Catalog, given: dict[str, Any], interactive: bool) -> dict[str, Any]:
    data = dict(given)
    required = ("name", "background", "years_experience", "target_level", "hours_per_week")
    for field, (label, check, default) in _asks(catalog).items():
        if data.get(field) not in (None, []):
            continue
        if not interactive:
            if field in required:
                raise InvalidInputError(_missing(catalog, field))
            continue
        if field == "background":
            _list({b.id: b.name for b in catalog.backgrounds.values()})
        if field == "target_level":
            _list({lv.id: lv.name for lv in catalog.levels_ascending()})
        if field == "holiday_subdivision":
            check = _subdivision(data.get("holiday_country") or DEFAULT_COUNTRY)
        data[field] = _ask(label, check, default)
    _normalise(data, "background", {b.id: b.name for b in catalog.backgrounds.values()})
    _normalise(data, "target_level", {lv.id: lv.name for lv in catalog.levels.values()})
    if interactive and not data.get("ratings"):
        data["ratings"], data["evidence"] = _ask_ratings(catalog, data["target_level"])
    return data


def _normalise(data: dict[str, Any], field: str, options: dict[str, str]) -> None:
    """A flag's value in any case, or the option's name, becomes its id."""
    value = data.get(field)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # validate_profile then names the allowed ids
            data[field] = _choice(options, field)(value)


def _missing(catalog: Catalog, field: str) -> str:
    allowed = {
        "background": list(catalog.backgrounds),
        "target_level": [lv.id for lv in catalog.levels_ascending()],
    }.get(field)
    hint = f" (one of {', '.join(allowed)})" if allowed else ""
    return (
        f"missing --{field.replace('_', '-')}{hint}; "
        "or run `healthpm init` in a terminal to be asked"
    )


def init_command(
    path: Annotated[Path, typer.Argument(help="profile file to write")] = Path("profile.yaml"),
    name: Annotated[str | None, typer.Option(help="your name")] = None,
    background: Annotated[str | None, typer.Option(help="background id")] = None,
    years_experience: Annotated[float | None, typer.Option(help="years of work experience")] = None,
    target_level: Annotated[str | None, typer.Option(help="target level id")] = None,
    hours_per_week: Annotated[float | None, typer.Option(help="hours per week, 1-40")] = None,
    start_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, default today")] = None,
    rate: Annotated[list[str] | None, typer.Option(help="COMPETENCY=0..4, repeatable")] = None,
    evidence: Annotated[list[str] | None, typer.Option(help="COMPETENCY=text, repeatable")] = None,
    unavailable: Annotated[
        list[str] | None, typer.Option(help="date or weekday, repeatable")
    ] = None,
    study_start: Annotated[
        str | None, typer.Option(help="HH:MM study blocks start, default 19:00")
    ] = None,
    holiday_country: Annotated[
        str | None, typer.Option(help="country whose public holidays are skipped, or none")
    ] = None,
    holiday_subdivision: Annotated[
        str | None, typer.Option(help="state/province/nation code, e.g. CA")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
    ask: Annotated[
        bool, typer.Option("--ask", help="ask for what is missing even without a terminal")
    ] = False,
) -> None:
    """Write a profile: asks in a terminal, or takes flags in scripts."""
    if path.exists() and not force:
        raise InvalidInputError(f"{path} exists; pass --force to overwrite it")
    catalog = get_catalog()
    given: dict[str, Any] = {
        "name": name,
        "background": background,
        "years_experience": years_experience,
        "target_level": target_level,
        "hours_per_week": hours_per_week,
        "start_date": start_date,
        "ratings": _ratings(rate or []),
        "evidence": _pairs(evidence or [], "--evidence"),
        "unavailable": list(unavailable or []),
        "study_start": study_start,
        "holiday_country": holiday_country,
        "holiday_subdivision": holiday_subdivision,
    }
    data = _collect(catalog, given, interactive=ask or sys.stdin.isatty())
    data["start_date"] = data.get("start_date") or date.today().isoformat()
    for optional in ("current_role", "study_start", "holiday_country", "holiday_subdivision"):
        if not data.get(optional):
            data.pop(optional, None)
    profile = validate_profile(data, catalog, origin="init")
    write_profile(path, profile)
    rated = len(profile.ratings)
    console.print(
        f"wrote {path} ({rated} of {len(catalog.competencies)} competencies rated); "
        f"next: `healthpm assess {path}` and `healthpm plan {path}`"
    )
