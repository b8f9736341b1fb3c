"""H3, M2, L1, L2, L5, L6 and the profile date round trip: bounded, validated input."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from healthpm.catalog import get_catalog
from healthpm.demo import DEMO_NAMES, demo_profile
from healthpm.domain.feedback.schema import FlagHit
from healthpm.web.highlight import highlight_answer

from .conftest import Server, attempt, attempt_ids, export_file, new_email, one_line, user_id

# An answer inside every limit (4,900 words, 58,800 characters) and evidence that almost
# matches everywhere: the old regex fallback took seconds per view on this pair.
SLOW_ANSWER = "aaaaaaaaaaa " * 4900
SLOW_EVIDENCE = "aaaaaaaaaaa " * 160 + "b"


def _planned(server: Server) -> httpx.Client:
    c = server.signup()
    profile = demo_profile(DEMO_NAMES[0], get_catalog()).model_dump(mode="json")
    assert c.put("/api/profile", json=profile).status_code == 200
    assert c.post("/api/plan", json={}).status_code == 200
    return c


def _import(c: httpx.Client, data: dict[str, Any]) -> httpx.Response:
    return c.post("/api/import", json=data)


def _upload(c: httpx.Client, body: bytes) -> httpx.Response:
    files = {"file": ("d.json", body, "application/json")}
    return c.post("/account/import", data={"csrf_token": c.cookies["healthpm_csrf"]}, files=files)


def _flags(evidence: str) -> dict[str, Any]:
    feedback = copy.deepcopy(attempt()["feedback"])
    assert isinstance(feedback, dict)
    feedback["flags"] = [
        {"id": "hipaa-checkbox", "evidence": evidence, "advice": "x"},
        {"id": "growth-framing", "evidence": evidence + " c", "advice": "y"},
    ]
    return feedback


def test_h3_a_pathological_attempt_page_renders_in_under_100_ms(server: Server) -> None:
    c = server.signup()
    data = export_file(c, attempts=[attempt(SLOW_ANSWER, feedback=_flags(SLOW_EVIDENCE))])
    assert _import(c, data).status_code == 200
    (aid,) = attempt_ids(c.get("/practice").text) or [
        c.get("/api/practice/attempts").json()[0]["id"]
    ]
    timings = []
    for _ in range(10):  # the best of ten: the machine may be busy with other work
        start = time.perf_counter()
        r = c.get(f"/practice/attempts/{aid}")
        timings.append(time.perf_counter() - start)
        assert r.status_code == 200
        time.sleep(0.05)
    assert min(timings) < 0.100, timings


def test_h3_highlighting_is_linear() -> None:
    flags = [FlagHit(id="x", evidence=SLOW_EVIDENCE, advice="a")]
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        highlight_answer(SLOW_ANSWER, flags)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05, timings  # the regex it replaces took seconds
    marked = highlight_answer(
        "We  would   Pilot\nwith nurses.", [FlagHit(id="f", evidence="pilot with", advice="a")]
    )
    assert '<mark data-evidence-for="f" id="evidence-f">Pilot\nwith</mark>' in marked


@pytest.mark.parametrize(
    "answer",
    ["word " * 5001, "a" * 60_001, "a " * 30_000],  # the probe's 60k-character answer
)
def test_h3_l5_import_caps_answers_like_the_form(server: Server, answer: str) -> None:
    c = server.signup()
    r = _import(c, export_file(c, attempts=[attempt(answer)]))
    assert r.status_code == 400 and one_line(r.json()["error"]["message"])
    assert c.get("/api/export").json()["attempts"] == []


def test_h3_import_caps_evidence(server: Server) -> None:
    c = server.signup()
    r = _import(c, export_file(c, attempts=[attempt(feedback=_flags("e" * 2001))]))
    assert r.status_code == 400


def test_l5_profile_evidence_is_capped_on_the_api(server: Server) -> None:
    c = server.signup()
    profile = demo_profile(DEMO_NAMES[0], get_catalog()).model_dump(mode="json")
    profile["evidence"] = {"clinical-workflow": "e" * 5_000_000}
    r = c.put("/api/profile", json=profile)
    assert r.status_code == 400 and c.get("/api/profile").status_code == 404


def test_l5_a_far_future_updated_at_is_refused(server: Server) -> None:
    c = _planned(server)
    data = export_file(c)
    data["profiles"][0] |= {"name": "Pinned", "updated_at": "9999-01-01T00:00:00+00:00"}  # type: ignore[index]
    assert _import(c, data).status_code == 400
    data["profiles"][0]["updated_at"] = "2099-01-01T00:00:00+00:00"  # type: ignore[index]
    assert _import(c, data).status_code == 400  # in range, but in the future


def test_l5_request_bodies_are_capped(server: Server) -> None:
    c = server.signup()
    r = c.post(
        "/api/import",
        content=b"{" + b" " * (51 * 2**20) + b"}",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413


def _broken_plans(c: httpx.Client) -> list[dict[str, Any]]:
    base = export_file(c)
    variants = []
    for change in ("no-tracks", "hours-abc", "javascript", "deep"):
        data = copy.deepcopy(base)
        plan = data["plans"][0]["data"]  # type: ignore[index]
        if change == "no-tracks":
            del plan["budget"]["tracks"]
        elif change == "hours-abc":
            plan["tasks"][0]["hours"] = "abc"
        elif change == "javascript":
            plan["weeks"][0]["tasks"][0]["url"] = "javascript:alert(document.domain)"
        else:
            nested: Any = "x"
            for _ in range(900):
                nested = {"n": nested}
            plan["extra"] = nested
        data["plans"][0]["created_at"] = "2026-01-01T00:00:00+00:00"  # type: ignore[index]
        variants.append(data)
    return variants


def test_l1_l6_odd_plans_are_refused_and_pages_keep_working(server: Server) -> None:
    c = _planned(server)
    before = c.get("/api/export").json()["plans"]
    for data in _broken_plans(c):
        r = _import(c, data)
        assert r.status_code == 400, r.text[:300]
        assert one_line(r.json()["error"]["message"])
    assert c.get("/api/export").json()["plans"] == before
    for page in ("/", "/plan", "/api/progress"):
        assert c.get(page).status_code == 200
    assert "javascript:" not in c.get("/plan").text


def test_l1_l2_an_odd_mock_report_is_refused(server: Server) -> None:
    c = server.signup()
    mock = {
        "ref": 1,
        "started_at": "2026-03-04T00:00:00+00:00",
        "ended_at": "2026-03-04T00:20:00+00:00",
        "minutes": 20,
        "level": None,
        "category": None,
        "question_ids": ["nope"],
        "report": {"weird": 1},
    }
    assert _import(c, export_file(c, mock_sessions=[mock])).status_code == 400
    deep: Any = 1
    for _ in range(900):
        deep = {"d": deep}
    mock["report"] = deep
    assert _import(c, export_file(c, mock_sessions=[mock])).status_code == 400
    assert c.get("/api/export").json()["mock_sessions"] == []


@pytest.mark.parametrize(
    "stamp", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "1900-01-01T00:00:00+00:00"]
)
def test_l2_out_of_range_timestamps_are_a_400(server: Server, stamp: str) -> None:
    c = server.signup()
    share = {
        "coach_email": "c@example.org",
        "kind": "plan",
        "created_at": stamp,
        "revoked_at": None,
    }
    data = export_file(c, shares=[share])
    r = _import(c, data)
    assert r.status_code == 400 and one_line(r.json()["error"]["message"])
    assert _upload(c, json.dumps(data).encode()).status_code == 400


def test_l2_deep_json_upload_is_a_400(server: Server) -> None:
    c = server.signup()
    r = _upload(c, b"[" * 50_000 + b"]" * 50_000)
    assert r.status_code == 400 and "Traceback" not in r.text


def test_l2_cli_import_gives_one_line_and_writes_nothing(server: Server, tmp_path: Path) -> None:
    email = new_email()
    c = server.signup(email)
    good = export_file(c)
    late = dict(
        good,
        shares=[
            {
                "coach_email": "c@example.org",
                "kind": "plan",
                "created_at": "9999-12-31T23:59:59-05:00",
                "revoked_at": None,
            }
        ],
    )
    files = {
        "deep.json": b"[" * 50_000 + b"]" * 50_000,
        "late.json": json.dumps(late).encode(),
        "huge.json": json.dumps(dict(good, attempts=[attempt("word " * 6000)])).encode(),
    }
    for name, body in files.items():
        path = tmp_path / name
        path.write_bytes(body)
        done = server.cli("import", str(path), "--email", email)
        assert done.returncode == 2 and one_line(done.stderr), (name, done.stderr[-500:])
    assert c.get("/api/export").json()["attempts"] == []


def test_m2_import_never_speaks_for_someone_else(server: Server) -> None:
    coach = server.signup(role="coach")
    coach_email = coach.get("/api/me").json()["email"]
    email = new_email("forger")
    forger = server.signup(email)
    comments = [
        {
            "author_email": coach_email,
            "body": "FORGED: hire",
            "created_at": "2026-03-04T00:00:00+00:00",
        },
        {
            "author_email": new_email("nobody"),
            "body": "FORGED: nobody",
            "created_at": "2026-03-04T00:00:00+00:00",
        },
        {"author_email": email, "body": "my own note", "created_at": "2026-03-04T00:00:00+00:00"},
    ]
    r = _import(forger, export_file(forger, attempts=[attempt(comments=comments)]))
    assert r.status_code == 200
    added = r.json()["added"]
    assert added["comments"] == 1 and added["comments_dropped"] == 2  # same for real and unknown
    aid = forger.get("/api/practice/attempts").json()[0]["id"]
    page = forger.get(f"/practice/attempts/{aid}").text
    assert "FORGED" not in page and "my own note" in page
    assert coach.get("/api/export").json()["comments_made"] == []


def test_profile_unavailable_dates_round_trip(server: Server) -> None:
    c = server.signup()
    profile = demo_profile(DEMO_NAMES[0], get_catalog()).model_dump(mode="json")
    profile["unavailable"] = ["2027-01-11", "saturday"]
    assert c.put("/api/profile", json=profile).status_code == 200
    assert c.get("/api/profile").json()["unavailable"] == ["2027-01-11", "saturday"]
    data = c.get("/api/export").json()
    other = server.signup()
    assert _import(other, data).status_code == 200
    assert other.get("/api/profile").json()["unavailable"] == ["2027-01-11", "saturday"]
    assert user_id(other) != user_id(c)
