"""The coach's cohort row counts the candidate's current profile's ticks and hours only
(issue 12, item 6): a new profile with the same tasks starts at nothing done or logged."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from web.conftest import ClientFactory, post

from .helpers import cohort


def _nurse_row(coach: TestClient) -> dict[str, str]:
    table = csv.DictReader(io.StringIO(coach.get("/coach/cohort.csv").text))
    return next(row for row in table if row["email"] == "nadia@cohort.test")


def test_cohort_row_follows_the_current_profile(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    html = c.nurse.get("/plan").text
    key = re.search(r'data-task="([^"]+)" data-done="false"', html).group(1)  # type: ignore[union-attr]
    assert post(c.nurse, f"/plan/tasks/{key}", {"done": "true"}).status_code == 303
    assert post(c.nurse, "/plan/hours", {"hours": 2, "on": "2027-01-05"}).status_code == 303
    before = _nurse_row(c.coach)
    assert float(before["done_hours"]) > 0 and float(before["logged_hours"]) == 2

    about = {
        "fresh": "1",
        "name": "Nadia again",
        "background": next(iter(catalog.backgrounds)),
        "years_experience": 6,
        "target_level": "product-manager",
        "hours_per_week": 6,
        "start_date": "2027-01-04",
    }
    assert post(c.nurse, "/onboarding", about).status_code == 303
    for theme in catalog.themes:
        ratings = {f"rating-{x.id}": 2 for x in catalog.competencies.values() if x.theme == theme}
        assert post(c.nurse, f"/onboarding/{theme}", ratings | {"go": "next"}).status_code == 303
    after = _nurse_row(c.coach)
    assert float(after["done_hours"]) == 0 and float(after["logged_hours"]) == 0
    page = c.coach.get(f"/coach/{c.ids['nurse']}/plan").text
    assert f'data-task="{key}" data-done="true"' not in page
