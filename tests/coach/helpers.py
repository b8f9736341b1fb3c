"""A cohort of three as in the coach review: nurse shares everything, pharmacist practice only,
fintech PM nothing; the coach is signed in."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from web.conftest import ClientFactory, onboard, post

ANSWER = (
    "I would start by mapping the clinical workflow with the nurses who triage the alerts. "
    "We should drive engagement with streaks and daily push notifications. "
    "We would sign a BAA with every vendor that touches PHI and keep audit logs."
)


@dataclass
class Cohort:
    coach: TestClient
    nurse: TestClient
    pharmacist: TestClient
    fintech: TestClient
    ids: dict[str, int]
    attempts: dict[str, int]


def user_id(c: TestClient) -> int:
    return int(c.get("/api/me").json()["id"])


def answer(c: TestClient, catalog: Catalog, text: str = ANSWER, index: int = 0) -> int:
    qid = list(catalog.questions)[index]
    r = post(c, "/practice", {"question_id": qid, "answer": text})
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def share(c: TestClient, kind: str, email: str = "coach@bootcamp.test") -> None:
    assert post(c, "/account/shares", {"coach_email": email, "kind": kind}).status_code == 303


def cohort(make_client: ClientFactory, catalog: Catalog) -> Cohort:
    coach = make_client("coach@bootcamp.test", "coach")
    people = {}
    for key, email in (
        ("nurse", "nadia@cohort.test"),
        ("pharmacist", "priya@cohort.test"),
        ("fintech", "marcus@cohort.test"),
    ):
        people[key] = make_client(email)
        onboard(people[key], catalog)
    attempts = {k: answer(c, catalog) for k, c in people.items()}
    share(people["nurse"], "plan")
    share(people["nurse"], "practice")
    share(people["pharmacist"], "practice")
    ids = {k: user_id(c) for k, c in people.items()}
    return Cohort(coach, people["nurse"], people["pharmacist"], people["fintech"], ids, attempts)
