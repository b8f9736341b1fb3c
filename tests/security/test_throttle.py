"""M3, M4, L7's sign-up limit, and issue item 8: throttles shared by processes and instances."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.domain.feedback.schema import Feedback
from healthpm.web.app import create_app

from .conftest import (
    FEEDBACK,
    PASSWORD,
    Server,
    db_settings,
    new_email,
    post,
    start_server,
    stop_server,
)


def _guess(c, email: str) -> int:  # type: ignore[no-untyped-def]
    return post(c, "/signin", {"email": email, "password": "wrong-guess-123456"}).status_code


def test_m3_rotating_x_forwarded_for_does_not_reset_the_limit(server: Server) -> None:
    email = new_email()
    server.signup(email)
    codes = []
    for n in range(8):
        c = server.client(address=f"198.51.100.{n + 1}")
        codes.append(_guess(c, email))
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}, codes
    c = server.client(address="203.0.113.9")
    r = post(c, "/signin", {"email": email, "password": PASSWORD})
    assert r.status_code == 429  # the account is locked for the window, whoever asks


def test_m3_password_spraying_hits_the_per_client_limit(proxied: Server) -> None:
    """One guess each against many accounts: 20 failures per client address, then 429.
    (On the proxied server, so that the address is this test's own.)"""
    c = proxied.client(address="192.0.2.77")
    codes = [_guess(c, new_email("spray")) for _ in range(22)]
    assert codes[:20] == [401] * 20 and codes[20:] == [429, 429], codes


def test_m3_proxy_headers_count_only_from_trusted_proxies(proxied: Server) -> None:
    """With HEALTHPM_TRUSTED_PROXIES=127.0.0.1 the forwarded address is the client: the
    sign-up limit (5 an hour per address) then applies per forwarded address."""
    codes = []
    for _ in range(6):
        c = proxied.client(address="198.51.100.50")
        r = post(c, "/signup", {"email": new_email(), "password": PASSWORD})
        codes.append(r.status_code)
    assert codes == [303] * 5 + [429], codes
    other = proxied.client(address="198.51.100.51")
    assert post(other, "/signup", {"email": new_email(), "password": PASSWORD}).status_code == 303


def test_m4_scoring_needs_a_signed_in_user(server: Server) -> None:
    body = {"answer": "I would pilot with nurses.", "question": "How would you launch RPM?"}
    c = server.client()
    assert c.post("/api/practice/score", json=body).status_code == 401
    assert c.post("/practice", data={"answer": "x", "question_text": "y"}).status_code == 403


class InstantEngine:
    """Scores every answer 3 at once (the model is not what these tests are about)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        pass

    def __call__(self, catalog: Catalog) -> InstantEngine:
        return self

    def score(self, **_: object) -> Feedback:
        return Feedback.model_validate(FEEDBACK)

    def score_many(self, items: object) -> list[Feedback]:
        return [Feedback.model_validate(FEEDBACK) for _ in items]  # type: ignore[attr-defined]


@pytest.fixture
def scoring_app(
    settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog
) -> Iterator[FastAPI]:
    limited = settings.model_copy(update={"multi_user": True, "scores_per_user_per_hour": 3})
    yield create_app(
        limited, session_factory=session_factory, catalog=lambda: catalog, engine=InstantEngine()
    )


def test_m4_scoring_is_rate_limited_per_user(scoring_app: FastAPI) -> None:
    with TestClient(scoring_app) as c:
        c.get("/signin")
        token = c.cookies.get("healthpm_csrf")
        r = c.post(
            "/signup",
            data={"email": new_email(), "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code == 303
        body = {"answer": "I would pilot with nurses.", "question": "How would you launch RPM?"}
        codes = [c.post("/api/practice/score", json=body).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert c.post("/api/practice/attempts", json=body).status_code == 429


def test_item8_two_instances_share_sessions_and_limits(server: Server, twin: Server) -> None:
    email = new_email()
    c = server.signup(email)
    cookie = c.cookies.get("healthpm_session")
    assert twin.me(cookie) == 200  # a session started on one instance works on the other
    for _ in range(5):
        assert _guess(server.client(), email) == 401
    assert _guess(twin.client(), email) == 429  # the limit reached through one holds on the other
    assert post(c, "/signout").status_code == 303
    assert twin.me(cookie) == 401


def test_item8_serve_workers_2_keeps_one_limit(
    tmp_path_factory: pytest.TempPathFactory, pg_url: str | None
) -> None:
    """`serve --workers 2`: every request after the limit is refused, whichever worker."""
    data_dir = tmp_path_factory.mktemp("workers") / "data"
    s = start_server(data_dir, "--workers", "2", **db_settings(pg_url))
    try:
        email = new_email()
        s.signup(email)
        # Each new client is a new connection, which the kernel hands to either worker.
        codes = [_guess(s.client(), email) for _ in range(17)]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}, codes
        assert "2 workers" in s.log.read_text()
    finally:
        stop_server(s)
