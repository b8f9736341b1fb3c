"""L3, L4, L7, L9, L10, I1, I2: roles and invitations, headers, storage, passwords."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from healthpm.catalog import get_catalog
from healthpm.demo import DEMO_NAMES, demo_profile

from .conftest import (
    PASSWORD,
    Server,
    attempt,
    export_file,
    new_email,
    post,
    signed_up,
    user_id,
)


def _plan(c: httpx.Client) -> None:
    profile = demo_profile(DEMO_NAMES[0], get_catalog()).model_dump(mode="json")
    assert c.put("/api/profile", json=profile).status_code == 200
    assert c.post("/api/plan", json={}).status_code == 200


def test_l3_a_share_to_an_unregistered_email_needs_the_invitation(server: Server) -> None:
    alice = server.signup()
    _plan(alice)
    future = new_email("future-coach")
    r = post(alice, "/account/shares", {"coach_email": future, "kind": "plan"})
    assert r.status_code == 201
    link = re.search(r'data-invite-link="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    mallory = server.signup(future, role="coach")  # claims the email: gets nothing
    uid = user_id(alice)
    assert mallory.get(f"/coach/{uid}/plan").status_code == 404
    coach = server.signup(role="coach")
    path = httpx.URL(link).path
    assert coach.get(path).status_code == 200
    assert post(coach, path).status_code == 303
    assert coach.get(f"/coach/{uid}/plan").status_code == 200
    assert post(mallory, path).status_code == 404  # one time only
    assert mallory.get(f"/coach/{uid}/plan").status_code == 404
    assert server.client().get(path).status_code in (303, 401)  # sign in first


def test_l3_a_share_to_an_existing_coach_binds_at_once(server: Server) -> None:
    coach = server.signup(role="coach")
    email = coach.get("/api/me").json()["email"]
    alice = server.signup()
    _plan(alice)
    assert post(alice, "/account/shares", {"coach_email": email, "kind": "plan"}).status_code == 303
    assert coach.get(f"/coach/{user_id(alice)}/plan").status_code == 200


def test_l4_only_an_admin_loads_the_fda_demo_data(server: Server) -> None:
    candidate = server.signup()
    r = post(candidate, "/workbench/demo")
    assert r.status_code == 403
    assert 'data-admin-only="true"' in candidate.get("/workbench").text


def test_l4_the_first_account_and_cli_admins_are_admins(
    multi_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    import healthpm.fda.demo

    monkeypatch.setattr(healthpm.fda.demo, "run_demo", lambda settings: {"records_imported": 7})
    with TestClient(multi_app) as first, TestClient(multi_app) as second:
        signed_up(first)
        signed_up(second)
        token = first.cookies["healthpm_csrf"]
        r = first.post("/workbench/demo", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith("loaded=7")
        token = second.cookies["healthpm_csrf"]
        r = second.post("/workbench/demo", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 403


def test_l4_user_create_admin(server: Server) -> None:
    email = new_email("admin")
    done = server.cli("user", "create", email, "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0 and "admin" in done.stdout, done.stderr
    c = server.client()
    assert post(c, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
    assert 'data-admin-only="true"' not in c.get("/workbench").text


def test_l7_sign_up_does_not_tell_which_emails_exist(server: Server) -> None:
    email = new_email()
    server.signup(email)
    c = server.client()
    taken = post(c, "/signup", {"email": email, "password": PASSWORD})
    weak = post(c, "/signup", {"email": new_email(), "password": "x"})
    assert taken.status_code == weak.status_code == 400
    assert "already exists" not in taken.text and "could not create an account" in taken.text


@pytest.mark.parametrize(
    "password", [" " * 10, " " * 14, "aaaaaaaaaaaa", "password1234", "qwertyuiop12", "short-pw"]
)
def test_i1_weak_passwords_are_refused(server: Server, password: str) -> None:
    r = post(server.client(), "/signup", {"email": new_email(), "password": password})
    assert r.status_code == 400


def test_i1_the_email_is_not_a_password(server: Server) -> None:
    email = new_email()
    r = post(server.client(), "/signup", {"email": email, "password": email})
    assert r.status_code == 400


def test_l9_headers_on_every_response_and_no_store_on_personal_data(server: Server) -> None:
    c = server.signup()
    for url in ("/api/export", "/account/export.json", "/", "/account", "/api/me", "/nope"):
        r = c.get(url)
        assert r.headers["cache-control"] == "no-store", url
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], url
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in c.get("/static/app.css").headers.get("cache-control", "")
    assert "strict-transport-security" not in c.get("/").headers


def test_l9_hsts_over_https_from_a_trusted_proxy(proxied: Server) -> None:
    r = httpx.get(proxied.url + "/signin", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in r.headers["set-cookie"].lower()


def test_l9_500_pages_carry_the_security_headers(multi_app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    multi_app.add_api_route("/api/boom", boom)
    multi_app.add_api_route("/boom", boom)
    with TestClient(multi_app, raise_server_exceptions=False) as c:
        for url in ("/api/boom", "/boom"):
            r = c.get(url)
            assert r.status_code == 500
            assert r.headers["x-frame-options"] == "DENY"
            assert "default-src 'self'" in r.headers["content-security-policy"]
            assert r.headers["cache-control"] == "no-store"


def test_l10_deleted_data_is_gone_from_the_sqlite_file(server: Server) -> None:
    if not server.sqlite_file.exists():
        pytest.skip("the server runs on PostgreSQL")
    c = server.signup()
    marker = "SECRET-ANSWER-E-4242"
    r = c.post("/api/import", json=export_file(c, attempts=[attempt(f"My {marker} answer.")]))
    assert r.status_code == 200
    assert c.post("/api/account/delete", json={"confirm": "delete my data"}).status_code == 200
    deadline = time.monotonic() + 5  # the log is emptied just after the response
    while time.monotonic() < deadline:
        files = {p: p.read_bytes() for p in server.data_dir.glob("healthpm.sqlite3*")}
        if not any(marker.encode() in body for body in files.values()):
            break
        time.sleep(0.2)
    for path, body in files.items():
        assert marker.encode() not in body, path


def test_i2_asset_urls_are_relative(server: Server) -> None:
    r = server.client().get("/signin", headers={"Host": "evil.example"})
    assert "evil.example" not in r.text
    assert 'src="/static/htmx.min.js"' in r.text
