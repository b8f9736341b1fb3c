"""`healthpm init`: write a profile, by prompts or by flags (for scripts)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from healthpm.catalog import Catalog, get_catalog
from healthpm.cli.common import console
from healthpm.domain.content import PROFICIENCY
from healthpm.domain.profile import validate_profile
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


def _ask(label: str, allowed: list[str] | None = None, default: str | None = None) -> str:
    if allowed:
        console.print(f"{label}: one of {', '.join(allowed)}", highlight=False)
    while True:
        answer = str(typer.prompt(label, default=default)).strip()
        if not allowed or answer in allowed:
            return answer
        console.print(f"'{answer}' is not one of the allowed values", highlight=False)


def _ask_ratings(catalog: Catalog, target: str) -> dict[str, int]:
    console.print(
        "Rate yourself 0-4 on each competency: "
        + ", ".join(f"{k} {v}" for k, v in PROFICIENCY.items())
    )
    ratings = {}
    for theme in catalog.themes.values():
        console.print(f"\n[bold]{theme.name}[/]")
        for comp in (c for c in catalog.competencies.values() if c.theme == theme.id):
            console.print(
                f"{comp.name}: the {catalog.levels[target].name} bar is "
                f"{comp.expected[target]} — {comp.meets.get(target, '')}",
                highlight=False,
            )
            ratings[comp.id] = int(_ask(f"  {comp.id}", ["0", "1", "2", "3", "4"], "0"))
    return ratings


def _collect(catalog: Catalog, given: dict[str, Any], interactive: bool) -> dict[str, Any]:
    asks = {
        "name": ("Your name", None),
        "background": ("Background", list(catalog.backgrounds)),
        "years_experience": ("Years of experience", None),
        "target_level": ("Target level", [lv.id for lv in catalog.levels_ascending()]),
        "hours_per_week": ("Hours per week (1-40)", None),
    }
    data = dict(given)
    for field, (label, allowed) in asks.items():
        if data.get(field) is None:
            if not interactive:
                hint = f" (one of {', '.join(allowed)})" if allowed else ""
                raise InvalidInputError(
                    f"missing --{field.replace('_', '-')}{hint}; "
                    "or run `healthpm init` in a terminal to be asked"
                )
            data[field] = _ask(label, allowed)
    if interactive and not data.get("ratings"):
        data["ratings"] = _ask_ratings(catalog, data["target_level"])
    return data


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
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
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
        "start_date": start_date or date.today().isoformat(),
        "ratings": _ratings(rate or []),
        "evidence": _pairs(evidence or [], "--evidence"),
        "unavailable": list(unavailable or []),
    }
    data = _collect(catalog, given, interactive=sys.stdin.isatty())
    profile = validate_profile(data, catalog, origin="init")
    write_profile(path, profile)
    console.print(f"wrote {path}; next: `healthpm assess {path}` and `healthpm plan {path}`")
