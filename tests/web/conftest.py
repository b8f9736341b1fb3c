"""Web fixtures: the app over the test store with a fake engine, clients, signed-in users."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog, get_catalog, load_catalog
from healthpm.config import Settings
from healthpm.web.app import create_app
from healthpm.web.security import CSRF_COOKIE

from .fakes import FakeEngine

PASSWORD = "correct horse battery"


@pytest.fixture
def catalog() -> Catalog:
    """The shipped catalog (HEALTHPM_TEST_CONTENT_DIR points at a content draft instead)."""
    draft = os.environ.get("HEALTHPM_TEST_CONTENT_DIR")
    return load_catalog(Path(draft)) if draft else get_catalog()


def _app(settings: Settings, factory: sessionmaker[Session], catalog: Catalog) -> FastAPI:
    return create_app(settings, session_factory=factory, catalog=lambda: catalog, engine=FakeEngine)


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog) -> FastAPI:
    """Single-user mode, as `healthpm serve` starts by default."""
    return _app(settings, session_factory, catalog)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        c.get("/glossary")  # receive the CSRF cookie
        yield c


@pytest.fixture
def multi_app(
    settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog
) -> FastAPI:
    return _app(settings.model_copy(update={"multi_user": True}), session_factory, catalog)


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(multi_app: FastAPI) -> Iterator[ClientFactory]:
    """New browser-like clients of the multi-user app; with an email, signed up and in."""
    made: list[TestClient] = []

    def make(email: str | None = None, role: str = "candidate") -> TestClient:
        c = TestClient(multi_app)
        made.append(c)
        c.get("/signin")
        if email:
            r = post(c, "/signup", {"email": email, "password": PASSWORD, "role": role})
            assert r.status_code == 303, r.text
        return c

    yield make
    for c in made:
        c.close()


def csrf(client: TestClient) -> str:
    """The CSRF token the client holds (as its cookie, which pages echo in forms)."""
    token = client.cookies.get(CSRF_COOKIE)
    assert token, "the client has no CSRF cookie yet"
    return token


def post(client: TestClient, url: str, data: dict[str, object] | None = None) -> httpx.Response:
    """A form POST with the CSRF token, not following redirects."""
    form = {k: str(v) for k, v in (data or {}).items()} | {"csrf_token": csrf(client)}
    return client.post(url, data=form, follow_redirects=False)


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def onboard(client: TestClient, catalog: Catalog, *, target: str = "product-manager") -> None:
    """Complete onboarding through the forms: profile, then every theme, which makes the plan."""
    about = {
        "name": "Dana",
        "background": next(iter(catalog.backgrounds)),
        "years_experience": 6,
        "target_level": target,
        "hours_per_week": 6,
        "start_date": "2027-01-04",
    }
    r = post(client, "/onboarding", about)
    assert r.status_code == 303, r.text
    for theme in catalog.themes:
        ratings = {f"rating-{c.id}": 2 for c in catalog.competencies.values() if c.theme == theme}
        r = post(client, f"/onboarding/{theme}", ratings | {"go": "next"})
        assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/")
