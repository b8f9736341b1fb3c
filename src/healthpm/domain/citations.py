"""How sources read to a user, and how old a checked fact is. Pure functions, no I/O.

A `source` is a short citation; seed articles appear in it by file name, which means nothing to
a reader, so `readable_source` swaps each for the article's title. `stale` finds dated entries
whose `as_of` is older than a number of months.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from healthpm.domain.content import DatedEntry

#: The five seed articles, by file name: the title as the article prints it (the two longest
#: shortened, since our text must not repeat the seeds word for word), or a description in
#: brackets where our copy carries no title line.
SEED_TITLES: dict[str, str] = {
    "000_0c1a9a378b856c9f.txt": (
        "[Career guide: moving into health-tech product management, role levels and progression]"
    ),
    "001_be2c56113838b31f.txt": "Navigating a PM Career in Healthcare",
    "002_84661c2ff12e38df.txt": (
        "How to pivot from clinical work to PM in health tech (May 3, 2025)"
    ),
    "003_a9f9558cf62d362e.txt": ("The impact of product management in healthcare (Feb 4, 2025)"),
    "004_85872ea76f675885.txt": "The Role of a Product Manager",
}

_SEED_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def seed_title(name: str) -> str:
    """A seed file's title; an unknown seed name reads as 'career article <name>'."""
    return SEED_TITLES.get(name, f"career article {name}")


def readable_source(source: str) -> str:
    """The citation with every seed file name replaced by its article title in quotes."""
    return _SEED_NAME.sub(lambda m: f"“{seed_title(m.group(0))}”", source)


def url_label(url: str) -> str:
    """A link's readable text: host and path, without the scheme or a leading 'www.'."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    text = host + path + (f"?{parts.query}" if parts.query else "")
    return text if len(text) <= 90 else text[:87] + "..."


def months_before(today: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    if months < 0:
        raise ValueError("months must be 0 or more")
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(today.day, last))


@dataclass(frozen=True)
class StaleEntry:
    kind: str
    id: str
    as_of: date
    months_old: int


def _months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def stale(
    entries: Iterable[tuple[str, DatedEntry]], *, months: int, today: date
) -> list[StaleEntry]:
    """Entries checked before `months` months ago, oldest first: (kind, entry) pairs in."""
    cutoff = months_before(today, months)
    found = [
        StaleEntry(kind, entry.id, entry.as_of, _months_between(entry.as_of, today))
        for kind, entry in entries
        if entry.as_of < cutoff
    ]
    return sorted(found, key=lambda s: (s.as_of, s.kind, s.id))
