"""Answers from before profiles: in no profile's history, dashboard or bank, listed apart on
the history page with a one-click move to a profile."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.practice.models import Attempt

from .conftest import post
from .test_newcomer import nurse, senior

QID = "career-nurse-project-as-launch"


def _before_profiles(factory: sessionmaker[Session], catalog: Catalog, n: int) -> None:
    with factory() as s, s.begin():
        user = ensure_local_user(s)
        for i in range(n):
            s.add(
                Attempt(
                    user_id=user.id,
                    question_id=QID,
                    question_text=catalog.questions[QID].prompt,
                    answer=f"an answer {i}",
                    feedback={"overall": 3.0, "dimensions": {}, "flags": []},
                    overall=3.0,
                    profile_name=None,
                )
            )


def test_earlier_practice_is_apart_until_moved(
    client: TestClient, catalog: Catalog, session_factory: sessionmaker[Session]
) -> None:
    nurse(client, catalog)
    _before_profiles(session_factory, catalog, 2)
    page = client.get("/practice/history").text
    assert "data-attempt=" not in page
    assert page.count("data-earlier-attempt=") == 2
    assert "Earlier practice (before profiles)" in page and 'value="Maria" selected' in page
    home = client.get("/").text
    assert "No answers yet" in home and 'data-earlier-count="2"' in home
    bank = client.get("/questions", params={"category": "career-transition"}).text
    assert "data-practised" not in bank
    r = post(client, "/practice/history/claim", {"profile": "Maria"})
    assert r.status_code == 303 and r.headers["location"] == "/practice/history?moved=2"
    page = client.get(r.headers["location"]).text
    assert page.count("data-attempt=") == 2 and "data-earlier" not in page.replace(
        "data-earlier-count", ""
    )
    assert 'data-moved="2"' in page
    with session_factory() as s:
        assert set(s.scalars(select(Attempt.profile_name))) == {"Maria"}
    senior(client, catalog)  # another profile sees none of them
    assert "data-attempt=" not in client.get("/practice/history").text


def test_claim_to_an_unknown_profile_is_a_404_not_a_traceback(
    client: TestClient, catalog: Catalog, session_factory: sessionmaker[Session]
) -> None:
    nurse(client, catalog)
    _before_profiles(session_factory, catalog, 1)
    r = post(client, "/practice/history/claim", {"profile": "Nobody"})
    assert r.status_code == 404 and "no profile named" in r.text
    assert 'data-earlier-count="1"' in client.get("/").text
