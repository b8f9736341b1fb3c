"""The profile form chooses the study start time and the holiday country; the plan page's
study blocks and the .ics agree."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from icalendar import Calendar

from healthpm.catalog import Catalog

from .conftest import post
from .test_newcomer import nurse


def test_start_time_and_holidays_from_the_form_reach_page_and_calendar(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog, study_start="06:30", holiday_country="GB", holiday_subdivision="sct")
    form = client.get("/onboarding").text
    assert 'value="06:30"' in form and '<option value="GB" selected>' in form
    assert 'name="holiday_subdivision" maxlength="20" value="SCT"' in form
    page = client.get("/plan").text
    assert "study block at 06:30" in page and "United Kingdom (SCT) public holidays" in page
    shown = re.findall(r'data-block="(\d{4}-\d\d-\d\d)T(\d\d:\d\d)"', page)
    assert shown and all(t == "06:30" for _, t in shown)
    events = Calendar.from_ical(client.get("/plan.ics").content).walk("VEVENT")
    starts = {(f"{e.decoded('dtstart'):%Y-%m-%d}", f"{e.decoded('dtstart'):%H:%M}") for e in events}
    assert set(shown) <= starts  # this week's blocks on the page are the calendar's
    days = {date.fromisoformat(d) for d, _ in starts}
    assert not days & {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1), date(2027, 1, 2)}


def test_no_holidays_and_bad_values_beside_their_fields(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog, holiday_country="none")
    plan = client.get("/plan.json").json()
    assert (
        "2026-12-25" in plan["weeks"][0]["study_days"] and plan["holidays"] == "no public holidays"
    )
    about = {
        "name": "Maria",
        "background": "nurse",
        "years_experience": 8,
        "target_level": "product-manager",
        "hours_per_week": 8,
        "start_date": "2026-12-21",
        "study_start": "7pm",
        "holiday_country": "US",
        "holiday_subdivision": "Narnia",
    }
    r = post(client, "/onboarding", about)
    assert r.status_code == 400
    assert 'id="p-study-start-err"' in r.text and 'id="p-subdiv-err"' in r.text
    assert 'value="Narnia"' in r.text  # what was typed is kept
