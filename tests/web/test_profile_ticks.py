"""On the web, a profile's plan shows only its own ticks and hours (issue 12, item 6)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog
from healthpm.navigator.models import Profile

from .conftest import onboard, post


def test_ticks_and_hours_stay_with_their_profile(
    client: TestClient, catalog: Catalog, session_factory: sessionmaker[Session]
) -> None:
    onboard(client, catalog)
    html = client.get("/plan").text
    key = re.search(r'data-task="([^"]+)" data-done="false"', html).group(1)  # type: ignore[union-attr]
    assert post(client, f"/plan/tasks/{key}", {"done": "true"}).status_code == 303
    r = post(client, "/plan/hours", {"hours": 2.5, "on": "2027-01-05", "task_key": key})
    assert r.status_code == 303
    ticked = client.get("/plan").text
    assert f'data-task="{key}" data-done="true"' in ticked
    progress_a = client.get("/api/progress").json()

    # A second profile, rated the same: the same task keys, nothing done, no hours.
    about = {
        "fresh": "1",
        "name": "Dana again",
        "background": next(iter(catalog.backgrounds)),
        "years_experience": 6,
        "target_level": "product-manager",
        "hours_per_week": 6,
        "start_date": "2027-01-04",
    }
    assert post(client, "/onboarding", about).status_code == 303
    for theme in catalog.themes:
        ratings = {f"rating-{c.id}": 2 for c in catalog.competencies.values() if c.theme == theme}
        assert post(client, f"/onboarding/{theme}", ratings | {"go": "next"}).status_code == 303
    other = client.get("/plan").text
    assert f'data-task="{key}" data-done="false"' in other
    assert f'data-task="{key}" data-done="true"' not in other
    progress_b = client.get("/api/progress").json()
    assert sum(r["tasks_done"] for r in progress_b) == 0
    assert sum(r["logged_hours"] for r in progress_b) == 0
    assert client.get("/api/plan").json()["done"] == []

    # Switching back to the first profile brings its tick and hours back.
    with session_factory() as session:
        first = session.scalar(select(Profile).where(Profile.name == "Dana"))
        assert first is not None
        first_id = first.id
    assert post(client, f"/profiles/{first_id}/use").status_code == 303
    assert key in {t["key"] for t in client.get("/api/plan").json()["done"]}
    assert client.get("/api/progress").json() == progress_a
