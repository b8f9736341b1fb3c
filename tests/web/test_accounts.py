"""Accounts: sign up/in/out, cookie flags, CSRF, the login rate limit, sharing with a coach."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from healthpm.catalog import Catalog

from .conftest import PASSWORD, ClientFactory, csrf, onboard, post
from .test_pages import ANSWER


def test_pages_need_sign_in_and_api_answers_401(make_client: ClientFactory) -> None:
    c = make_client()
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/"
    assert c.get("/api/profile").status_code == 401
    assert c.get("/levels").status_code == 200  # the knowledge base stays public


def test_sign_up_out_and_in(make_client: ClientFactory) -> None:
    c = make_client("ana@example.org")
    assert c.get("/account").status_code == 200
    assert post(c, "/signout").status_code == 303
    assert c.get("/account", follow_redirects=False).status_code == 303
    r = post(c, "/signin", {"email": "ANA@example.org", "password": PASSWORD, "next": "/plan"})
    assert r.status_code == 303 and r.headers["location"] == "/plan"
    r = post(c, "/signin", {"email": "ana@example.org", "password": PASSWORD, "next": "//evil"})
    assert r.headers["location"] == "/"


def test_signup_refuses_duplicates_and_short_passwords(make_client: ClientFactory) -> None:
    make_client("ana@example.org")
    c = make_client()
    r = post(c, "/signup", {"email": "ana@example.org", "password": PASSWORD})
    assert r.status_code == 400 and "could not create an account" in r.text
    assert "already exists" not in r.text and "ana@example.org</" not in r.text
    r = post(c, "/signup", {"email": "bo@example.org", "password": "short"})
    assert r.status_code == 400 and "at least 12" in r.text


def test_session_cookie_flags(multi_app: FastAPI) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(multi_app, base_url=base) as c:
            c.get("/signin")
            r = post(c, "/signup", {"email": f"x{secure}@example.org", "password": PASSWORD})
            cookie = next(
                h for h in r.headers.get_list("set-cookie") if h.startswith("healthpm_session=")
            )
            flags = cookie.lower()
            assert "httponly" in flags and "samesite=lax" in flags
            assert ("secure" in flags) is secure


def test_csrf_token_required(make_client: ClientFactory, client: TestClient) -> None:
    c = make_client("ana@example.org")
    r = c.post("/plan/replan", data={}, follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/plan/replan", data={"csrf_token": "forged.value"}, follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/api/plan", content="x", headers={"content-type": "text/plain"})
    assert r.status_code == 403
    assert client.post("/onboarding", data={"name": "x"}).status_code == 403  # single-user too
    r = c.post("/plan/replan", headers={"X-CSRF-Token": csrf(c)}, follow_redirects=False)
    assert r.status_code == 303


def test_login_rate_limit(make_client: ClientFactory) -> None:
    make_client("ana@example.org")
    c = make_client()
    for _ in range(5):
        r = post(c, "/signin", {"email": "ana@example.org", "password": "wrong password!"})
        assert r.status_code == 401
    r = post(c, "/signin", {"email": "ana@example.org", "password": PASSWORD})
    assert r.status_code == 429
    other = post(c, "/signin", {"email": "someone@example.org", "password": "wrong password!"})
    assert other.status_code == 401  # the limit is per email (and address), not global


def _attempt_id(c: TestClient, catalog: Catalog) -> int:
    qid = next(iter(catalog.questions))
    r = post(c, "/practice", {"question_id": qid, "answer": ANSWER})
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_every_id_route_answers_404_to_other_users(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    ana = make_client("ana@example.org")
    onboard(ana, catalog)
    attempt = _attempt_id(ana, catalog)
    mock = post(ana, "/mock", {"minutes": 10}).headers["location"].rsplit("/", 1)[1]
    task = re.search(r'data-task="([^"]+)"', ana.get("/plan").text).group(1)  # type: ignore[union-attr]
    post(ana, "/account/shares", {"coach_email": "coach@example.org", "kind": "practice"})
    share = re.search(r'data-share="(\d+)"', ana.get("/account").text).group(1)  # type: ignore[union-attr]
    ana_id = _user_id(ana)
    for email, role in (("bo@example.org", "candidate"), ("cy@example.org", "coach")):
        other = make_client(email, role)
        onboard(other, catalog)
        gets = [
            f"/practice/attempts/{attempt}",
            f"/mock/{mock}",
            f"/api/practice/attempts/{attempt}",
            f"/coach/{ana_id}/plan",
            f"/coach/{ana_id}/practice",
            f"/coach/{ana_id}/attempts/{attempt}",
        ]
        for url in gets:
            assert other.get(url).status_code == 404, (email, url)
        posts = {
            f"/mock/{mock}/answer": {"question_id": "x", "answer": "y"},
            f"/mock/{mock}/finish": {},
            f"/account/shares/{share}/revoke": {},
            f"/plan/tasks/{task}-nope": {"done": "true"},
            f"/coach/{ana_id}/attempts/{attempt}/comments": {"body": "hi"},
        }
        for url, data in posts.items():
            assert post(other, url, data).status_code == 404, (email, url)
    assert ana.get(f"/practice/attempts/{attempt}").status_code == 200


def _user_id(c: TestClient) -> int:
    return int(c.get("/api/me").json()["id"])


def test_coach_sees_shared_items_comments_and_loses_them_on_revoke(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    ana = make_client("ana@example.org")
    onboard(ana, catalog)
    attempt = _attempt_id(ana, catalog)
    coach = make_client("coach@example.org", "coach")
    ana_id = _user_id(ana)
    assert coach.get(f"/coach/{ana_id}/practice").status_code == 404
    for kind in ("plan", "practice"):
        assert (
            post(
                ana, "/account/shares", {"coach_email": "Coach@Example.org", "kind": kind}
            ).status_code
            == 303
        )
    assert f'href="/coach/{ana_id}/practice"' in coach.get("/coach").text
    assert coach.get(f"/coach/{ana_id}/plan").status_code == 200
    assert "data-attempt" in coach.get(f"/coach/{ana_id}/practice").text
    url = f"/coach/{ana_id}/attempts/{attempt}"
    assert post(coach, f"{url}/comments", {"body": "Lead with the outcome."}).status_code == 303
    assert "Lead with the outcome." in ana.get(f"/practice/attempts/{attempt}").text
    for share in re.findall(r'data-share="(\d+)"', ana.get("/account").text):
        assert post(ana, f"/account/shares/{share}/revoke").status_code == 303
    assert coach.get(url).status_code == 404
    assert coach.get(f"/coach/{ana_id}/plan").status_code == 404
    assert ana.get("/coach").status_code == 404  # coach pages are for coaches only
