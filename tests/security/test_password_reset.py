"""Password reset without a shell for the person (issue 15): `healthpm user reset-link EMAIL`
prints a one-time, expiring link; /reset/<token> sets a new password under the sign-up rules,
ends every session of the account, and works once. Hashed at rest, CSRF-checked, throttled."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import PasswordReset
from healthpm.accounts.resets import make_reset_link, use_reset
from healthpm.accounts.service import create_user, get_user_by_email
from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.db import utcnow
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.web.app import create_app

from .conftest import PASSWORD, Server, new_email, one_line, post, signed_up

NEW_PASSWORD = "A-fresh-reset-phrase-91"
LINK = re.compile(r"(http://\S+/reset/(\S+)) \(works once, until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)")


def _reset_link(server: Server, email: str, *extra: str) -> tuple[str, str]:
    done = server.cli("user", "reset-link", email, *extra)
    assert done.returncode == 0, done.stderr
    found = LINK.search(done.stdout)
    assert found, done.stdout
    return found.group(1), found.group(2)


def test_a_reset_link_sets_the_password_ends_every_session_and_works_once(
    server: Server,
) -> None:
    email = new_email("reset")
    first = server.signup(email)
    second = server.client()
    assert post(second, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
    _url, token = _reset_link(server, email)
    browser = server.client()
    page = browser.get(f"/reset/{token}")
    assert page.status_code == 200 and email in page.text and 'name="confirm"' in page.text
    # The same rules as sign-up, one message beside the form; the link is not spent by them.
    r = post(browser, f"/reset/{token}", {"password": "password1234", "confirm": "password1234"})
    assert r.status_code == 400 and "common passwords" in r.text
    r = post(browser, f"/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert r.status_code == 400 and "differ" in r.text
    assert first.get("/api/me").status_code == 200  # nothing changed yet
    r = post(browser, f"/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/account?password=reset"
    assert browser.get("/api/me").json()["email"] == email  # this browser is signed in
    for old in (first, second):
        assert old.get("/api/me").status_code == 401  # every earlier session ended
    again = server.client()
    assert post(again, "/signin", {"email": email, "password": PASSWORD}).status_code == 401
    assert post(again, "/signin", {"email": email, "password": NEW_PASSWORD}).status_code == 303
    # Single use: the spent link answers like an unknown one.
    spent = server.client()
    assert spent.get(f"/reset/{token}").status_code == 404
    r = post(spent, f"/reset/{token}", {"password": PASSWORD + "!", "confirm": PASSWORD + "!"})
    assert r.status_code == 404
    assert post(again, "/signin", {"email": email, "password": PASSWORD + "!"}).status_code == 401


def test_the_token_is_stored_hashed_and_a_newer_link_replaces_the_older(server: Server) -> None:
    email = new_email("hashed")
    server.signup(email)
    _url, old = _reset_link(server, email)
    _url, token = _reset_link(server, email, "--hours", "2")
    c = server.client()
    assert c.get(f"/reset/{old}").status_code == 404
    assert c.get(f"/reset/{token}").status_code == 200
    if server.sqlite_file.exists():
        with sqlite3.connect(server.sqlite_file) as db:
            stored = " ".join(row[0] for row in db.execute("SELECT token_hash FROM password_reset"))
        assert token not in stored and len(stored) >= 64


def test_reset_link_errors_are_one_line(server: Server) -> None:
    for args in (("nobody-here@example.org",), (new_email(), "--hours", "0")):
        done = server.cli("user", "reset-link", *args)
        assert done.returncode != 0 and one_line(done.stderr), done.stderr
    email = new_email("off")
    server.signup(email)
    assert server.cli("user", "disable", email).returncode == 0
    done = server.cli("user", "reset-link", email)
    assert done.returncode != 0 and "disabled" in done.stderr and one_line(done.stderr)


def test_expired_and_unknown_links_are_404(
    session_factory: sessionmaker[Session], multi_app: FastAPI
) -> None:
    with session_factory() as s:
        user = create_user(s, email=new_email(), password=PASSWORD)
        link = make_reset_link(s, user=user, hours=1)
        row = s.scalar(select(PasswordReset))
        assert row is not None
        row.expires_at = utcnow() - timedelta(minutes=1)
        s.commit()
        with pytest.raises(NotFoundError):
            use_reset(s, token=link.token, password=NEW_PASSWORD)
    with TestClient(multi_app) as c:
        c.get("/signin")
        for token in (link.token, "nope", "x" * 500):
            assert c.get(f"/reset/{token}").status_code == 404


def test_reset_needs_the_forms_csrf_token(
    session_factory: sessionmaker[Session], multi_app: FastAPI
) -> None:
    with session_factory() as s:
        user = create_user(s, email=new_email(), password=PASSWORD)
        link = make_reset_link(s, user=user)
        s.commit()
    with TestClient(multi_app) as c:
        c.get(f"/reset/{link.token}")
        form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        r = c.post(f"/reset/{link.token}", data=form, follow_redirects=False)
        assert r.status_code == 403
        r = c.post(
            f"/reset/{link.token}",
            data=form | {"csrf_token": "forged.0000"},
            follow_redirects=False,
        )
        assert r.status_code == 403
        r = c.post(
            f"/reset/{link.token}",
            data=form | {"csrf_token": c.cookies["healthpm_csrf"]},
            follow_redirects=False,
        )
        assert r.status_code == 303


def test_guessing_links_is_throttled_per_client(
    settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    strict = settings.model_copy(update={"multi_user": True, "signin_failures_per_client": 3})
    app = create_app(strict, session_factory=session_factory, catalog=lambda: catalog)
    with session_factory() as s:
        user = create_user(s, email=new_email(), password=PASSWORD)
        link = make_reset_link(s, user=user)
        s.commit()
    with TestClient(app) as c:
        c.get("/signin")
        for n in range(3):
            assert c.get(f"/reset/guess-{n}").status_code == 404
        r = c.get(f"/reset/{link.token}")  # even the right link waits now
        assert r.status_code == 429 and "too many" in r.text


def test_a_signed_in_user_can_use_a_link_too_and_single_user_mode_has_none(
    settings: Settings,
    session_factory: sessionmaker[Session],
    multi_app: FastAPI,
    catalog: Catalog,
) -> None:
    email = new_email()
    with TestClient(multi_app) as c:
        signed_up(c, email)
        with session_factory() as s:
            user = get_user_by_email(s, email)
            assert user is not None
            link = make_reset_link(s, user=user)
            s.commit()
        form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        r = c.post(
            f"/reset/{link.token}",
            data=form | {"csrf_token": c.cookies["healthpm_csrf"]},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert "Password reset; every other session ended." in c.get(r.headers["location"]).text
    app = create_app(settings, session_factory=session_factory, catalog=lambda: catalog)
    with TestClient(app) as single:
        assert single.get(f"/reset/{link.token}").status_code == 404


def test_reset_link_hours_are_bounded(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        user = create_user(s, email=new_email(), password=PASSWORD)
        for hours in (0, 24 * 8):
            with pytest.raises(InvalidInputError):
                make_reset_link(s, user=user, hours=hours)
