"""Holidays from the `holidays` library, chosen per profile; study start time per profile."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import yaml
from icalendar import Calendar

from healthpm.catalog import get_catalog
from healthpm.domain import holidays
from healthpm.domain.assessment import assess
from healthpm.domain.planning import build_plan
from healthpm.domain.profile import Profile
from healthpm.errors import ProfileError
from healthpm.navigator.export import plan_ics, plan_json, study_blocks
from healthpm.navigator.profile_io import profile_to_yaml

CATALOG = get_catalog()
BASE = {
    "name": "Maria",
    "background": "nurse",
    "years_experience": 8,
    "target_level": "product-manager",
    "hours_per_week": 8,
    "start_date": "2026-12-21",  # Christmas week
}


def _nth(year: int, month: int, weekday: int, n: int) -> date:
    """The old hand-written rule: the n-th weekday of a month (n = -1 for the last)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta((weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(1)
    return last - timedelta((last.weekday() - weekday) % 7)


@pytest.mark.parametrize("year", range(2024, 2031))
def test_us_default_keeps_the_eleven_federal_holidays(year: int) -> None:
    expected = {
        date(year, 1, 1),
        _nth(year, 1, 0, 3),
        _nth(year, 2, 0, 3),
        _nth(year, 5, 0, -1),
        date(year, 6, 19),
        date(year, 7, 4),
        _nth(year, 9, 0, 1),
        _nth(year, 10, 0, 2),
        date(year, 11, 11),
        _nth(year, 11, 3, 4),
        date(year, 12, 25),
    }
    days = [date(year, 1, 1) + timedelta(n) for n in range(366)]
    found = {d for d in days if d.year == year and holidays.is_holiday(d)}
    assert found == expected


def test_subdivision_and_none() -> None:
    assert holidays.is_holiday(date(2027, 1, 2), "GB", "SCT")  # Scotland only
    assert not holidays.is_holiday(date(2027, 1, 2), "GB", "ENG")
    assert not holidays.is_holiday(date(2026, 12, 25), holidays.NO_HOLIDAYS)
    assert holidays.describe("GB", "SCT") == "United Kingdom (SCT) public holidays"


def _profile(**extra: object) -> Profile:
    return Profile.model_validate(BASE | extra)


def test_old_profiles_load_with_us_holidays_at_7_pm() -> None:
    profile = _profile()
    assert profile.holiday_country == "US" and profile.holiday_subdivision is None
    assert profile.study_start == time(19, 0)


def test_yaml_reads_an_unquoted_time_and_writes_it_back() -> None:
    data = yaml.safe_load("study_start: 6:30\nholiday_country: gb\nholiday_subdivision: sct\n")
    profile = _profile(**data)
    assert profile.study_start == time(6, 30)
    assert (profile.holiday_country, profile.holiday_subdivision) == ("GB", "SCT")
    again = yaml.safe_load(profile_to_yaml(profile))
    assert again["study_start"] == "06:30" and _profile(**again) == profile


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"study_start": "25:00"}, "not a time of day"),
        ({"holiday_country": "XX"}, "not a country code"),
        ({"holiday_subdivision": "ZZ"}, "not a subdivision of US"),
    ],
)
def test_bad_choices_are_one_plain_line(extra: dict[str, str], words: str) -> None:
    from healthpm.domain.profile import validate_profile

    with pytest.raises(ProfileError, match=words):
        validate_profile(BASE | extra, CATALOG)


def _plan(profile: Profile):  # type: ignore[no-untyped-def]
    return build_plan(profile, assess(profile, CATALOG), CATALOG)


def test_study_days_skip_the_chosen_countrys_holidays() -> None:
    week = {
        country: set(_plan(_profile(holiday_country=country)).weeks[0].study_days)
        for country in ("US", "GB", "none")
    }
    christmas, boxing = date(2026, 12, 25), date(2026, 12, 26)
    assert christmas not in week["US"] and boxing in week["US"]
    assert christmas not in week["GB"] and boxing not in week["GB"]
    assert len(week["none"]) == 7


def test_calendar_blocks_start_at_the_profile_time_and_match_the_page() -> None:
    plan = _plan(_profile(study_start="06:30", holiday_country="GB"))
    data = plan_json(plan)
    assert data["study_start"] == "06:30" and data["holidays"].startswith("United Kingdom")
    events = Calendar.from_ical(plan_ics(data)).walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts and all(s.time() == time(6, 30) for s in starts)
    assert not {s.date() for s in starts} & {date(2026, 12, 25), date(2026, 12, 26)}
    page = [
        (day, start, end) for week in data["weeks"] for day, start, end in study_blocks(week, data)
    ]
    from_ics = sorted(
        (
            e.decoded("dtstart").date(),
            f"{e.decoded('dtstart'):%H:%M}",
            f"{e.decoded('dtend'):%H:%M}",
        )
        for e in events
    )
    assert sorted(page) == from_ics
