"""Readable sources (seed titles) and the staleness arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from healthpm.catalog import get_catalog
from healthpm.domain.citations import (
    SEED_TITLES,
    months_before,
    readable_source,
    stale,
    url_label,
)
from healthpm.domain.content import GlossaryTerm


def test_every_seed_cited_in_content_has_a_title() -> None:
    catalog = get_catalog()
    sources = [e.source for _, e in catalog.dated_entries()]
    sources += [lv.source for lv in catalog.levels.values()]
    for source in sources:
        assert ".txt" not in readable_source(source), source
    assert len(SEED_TITLES) == 5


def test_seed_file_names_become_titles_and_the_rest_stays() -> None:
    text = readable_source("45 CFR 164.514; 001_be2c56113838b31f.txt (salary paragraph)")
    assert text == "45 CFR 164.514; “Navigating a PM Career in Healthcare” (salary paragraph)"
    assert "career article 009_0000000000000000.txt" in readable_source("009_0000000000000000.txt")


def test_url_label_drops_scheme_and_www() -> None:
    label = url_label("https://www.ecfr.gov/current/title-45/section-164.514")
    assert label == "ecfr.gov/current/title-45/section-164.514"
    assert len(url_label("https://example.org/" + "a" * 200)) == 90


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 12, 2), 12, date(2025, 12, 2)),
        (date(2026, 12, 2), 0, date(2026, 12, 2)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before(today: date, months: int, expected: date) -> None:
    assert months_before(today, months) == expected


def test_months_before_rejects_negative() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        months_before(date(2026, 1, 1), -1)


def _term(term_id: str, as_of: date) -> GlossaryTerm:
    return GlossaryTerm(id=term_id, source="x", as_of=as_of, term=term_id, definition="d")


def test_stale_lists_only_entries_older_than_the_cutoff_oldest_first() -> None:
    today = date(2026, 12, 2)
    entries = [
        ("glossary", _term("fresh", date(2026, 11, 1))),
        ("glossary", _term("edge", date(2025, 12, 2))),  # exactly 12 months: not stale
        ("glossary", _term("old", date(2025, 6, 30))),
        ("glossary", _term("older", date(2024, 1, 10))),
    ]
    found = stale(entries, months=12, today=today)
    assert [s.id for s in found] == ["older", "old"]
    assert found[1].months_old == 17
