"""A posting's level, from its title first and its scope (years, reports, P&L) second."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from healthpm.domain.jobs import signals

#: Title words -> level id, most senior first (a "Senior Director" is a director).
TITLE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(vice president|VP|SVP|EVP|chief (product|digital|innovation)|CPO|CDO)\b",
            re.IGNORECASE,
        ),
        "vp-digital-health",
    ),
    (
        re.compile(r"\bhead of (digital health|clinical transformation)", re.IGNORECASE),
        "vp-digital-health",
    ),
    (
        re.compile(
            r"\b(director|group product manager|GPM|head of product|head of)\b", re.IGNORECASE
        ),
        "group-pm-director",
    ),
    (re.compile(r"\b(senior|sr\.?|lead|principal|staff)\b", re.IGNORECASE), "senior-pm"),
    (
        re.compile(
            r"\b(associate|APM|junior|jr\.?|entry[- ]level|coordinator|analyst|"
            r"specialist|intern|rotational)\b",
            re.IGNORECASE,
        ),
        "associate-pm",
    ),
    (
        re.compile(r"\b(product manager|product owner|PM|product management)\b", re.IGNORECASE),
        "product-manager",
    ),
)

#: Years of experience asked for -> the level postings usually mean by it.
YEARS_TO_LEVEL = (
    (1, "associate-pm"),
    (4, "product-manager"),
    (7, "senior-pm"),
    (9, "group-pm-director"),
)


@dataclass(frozen=True)
class LevelCall:
    level: str
    from_title: bool
    explanation: list[str]


def _order(catalog: Any) -> list[str]:
    return [lv.id for lv in catalog.levels_ascending()]


def title_level(title: str, catalog: Any) -> tuple[str | None, str]:
    """(level id, the title words that say so), or (None, '') when the title names none.

    The most senior reading wins: "Senior Clinical Product Manager" holds the Product
    Manager alias "Clinical Product Manager" and the senior word "Senior".
    """
    order = _order(catalog)
    found: list[tuple[int, str, str]] = []
    for lv in catalog.levels_ascending():
        for alias in lv.aliases:
            if alias.lower() in ("pm", "product manager"):
                continue
            if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", title, re.IGNORECASE):
                found.append((order.index(lv.id), lv.id, alias))
    for pattern, level in TITLE_RULES:
        match = pattern.search(title)
        if match and level in catalog.levels:
            found.append((order.index(level), level, match.group(0)))
            break
    if not found:
        return None, ""
    _, level, words = max(found)
    return level, words


def years_asked(text: str) -> tuple[int, str] | None:
    """The years of experience a posting asks for (the smallest product-related figure)."""
    found = []
    for match in signals.YEARS.finditer(text):
        # A range ("1-3 years") is read at its middle; "5+ years" at its floor.
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        years, tail = (low + high) // 2, match.group(3).lower()
        if years > 25:
            continue
        if "experience" in tail or "product" in tail or "management" in tail or "industry" in tail:
            found.append((years, match.group(0).strip()))
    product = [f for f in found if "product" in f[1].lower()]
    pool = product or found
    return min(pool) if pool else None


def _years_level(years: int) -> str:
    for limit, level in YEARS_TO_LEVEL:
        if years <= limit:
            return level
    return "vp-digital-health"


def scope_hints(text: str) -> list[tuple[str, str, str]]:
    """(level at least, why, the phrase) for each scope signal in the text."""
    hints = []
    for pattern, level, why in (
        (signals.EXECUTIVE, "vp-digital-health", "sits on the executive team"),
        (signals.REPORTS, "group-pm-director", "manages product managers"),
        (signals.PNL, "senior-pm", "owns a P&L or budget"),
        (signals.MENTOR, "senior-pm", "mentors other PMs"),
    ):
        match = pattern.search(text)
        if match:
            hints.append((level, why, match.group(0)))
    return hints


def infer_level(title: str, text: str, catalog: Any) -> LevelCall:
    """The level: the title's, moved one step when the scope clearly says otherwise."""
    order = _order(catalog)
    named, words = title_level(title, catalog)
    lines: list[str] = []
    base = named or "product-manager"
    if named:
        lines.append(f"title {title!r}: {words!r} reads as {catalog.levels[named].name}")
    else:
        lines.append(f"title {title!r} names no level; starting from Product Manager")
    scope = [(order.index(lv), why, phrase) for lv, why, phrase in scope_hints(text) if lv in order]
    years = years_asked(text)
    if years is not None:
        lv = _years_level(years[0])
        scope.append((order.index(lv), f"asks for {years[0]}+ years", years[1]))
    index = order.index(base)
    if scope:
        top = max(scope)
        for _, why, phrase in sorted(scope, reverse=True):
            lines.append(f"scope: {why} ({phrase!r})")
        plain = named in (None, "product-manager")
        # An explicit level word in the title wins unless the scope is clearly higher;
        # a plain "Product Manager" follows the scope (one step at most).
        if top[0] > index and (plain or top[0] >= index + 2):
            index += 1
            lines.append(f"scope is above the title's level: {catalog.levels[order[index]].name}")
        elif plain and top[0] < index and years is not None:
            index -= 1
            lines.append(f"scope is below the title's level: {catalog.levels[order[index]].name}")
    return LevelCall(order[index], named is not None, lines)
