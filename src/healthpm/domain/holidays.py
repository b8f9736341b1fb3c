"""Public holidays, so study blocks are not placed on them: the `holidays` library's tables.

A profile names its holiday country (ISO 3166-1 alpha-2, default "US"), optionally a
subdivision (a state, province or nation such as "CA" or "SCT"), or "none". The library is
pure data and date arithmetic (no I/O). Observed-day shifts for weekend holidays are left out
on purpose: the day itself is the one people keep free, as in the table this replaced.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays as holidays_lib
from holidays import registry

DEFAULT_COUNTRY = "US"
NO_HOLIDAYS = "none"
#: names where the registry key reads badly once its underscores become spaces
_NAMES = {"US": "United States", "GB": "United Kingdom", "KR": "South Korea"}


@cache
def countries() -> dict[str, str]:
    """ISO code -> English name of every country the library knows, sorted by name."""
    found = {code: key.replace("_", " ").title() for key, (_, code, *_rest) in _entries()}
    found |= {code: name for code, name in _NAMES.items() if code in found}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def _entries() -> list[tuple[str, tuple[str, ...]]]:
    return [(k, v) for k, v in registry.COUNTRIES.items() if len(v) >= 2]


@cache
def subdivisions(country: str) -> tuple[str, ...]:
    """The subdivision codes of a country (empty for none or an unknown country)."""
    if country not in countries():
        return ()
    return tuple(str(s) for s in holidays_lib.country_holidays(country).subdivisions)


def normalise(country: str | None, subdivision: str | None) -> tuple[str, str | None]:
    """(country, subdivision) checked and in canonical case, or ValueError in plain words."""
    code = (country or DEFAULT_COUNTRY).strip()
    if code.lower() == NO_HOLIDAYS:
        if subdivision:
            raise ValueError("a subdivision needs a holiday country; drop it or pick a country")
        return NO_HOLIDAYS, None
    code = code.upper()
    if code not in countries():
        raise ValueError(
            f"{code!r} is not a country code the holiday tables know; use a two-letter code "
            f"such as US, GB, CA or DE, or 'none'"
        )
    if not subdivision or not subdivision.strip():
        return code, None
    known = {s.upper(): s for s in subdivisions(code)}
    sub = known.get(subdivision.strip().upper())
    if sub is None:
        allowed = ", ".join(subdivisions(code)) or "none"
        raise ValueError(f"{subdivision!r} is not a subdivision of {code}; known: {allowed}")
    return code, sub


@cache
def _days(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    table = holidays_lib.country_holidays(country, subdiv=subdivision, years=year, observed=False)
    return frozenset(table)


def is_holiday(day: date, country: str = DEFAULT_COUNTRY, subdivision: str | None = None) -> bool:
    """True on a public holiday of the country (and subdivision); never for 'none'."""
    if country == NO_HOLIDAYS:
        return False
    return day in _days(country, subdivision, day.year)


def describe(country: str, subdivision: str | None) -> str:
    """'US public holidays', 'United Kingdom (SCT) public holidays', or 'no holidays'."""
    if country == NO_HOLIDAYS:
        return "no public holidays"
    name = "US" if country == "US" else countries().get(country, country)
    return f"{name}{f' ({subdivision})' if subdivision else ''} public holidays"
