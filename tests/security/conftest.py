"""Live servers for the security regression suite (issue 10, reviews/security-probe.md).

Each server is the real `healthpm serve --multi-user` in its own process on a free port,
on a SQLite file in a temp dir, with the scoring model not preloaded (no test here scores).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog, get_catalog
from healthpm.config import Settings
from healthpm.web.app import create_app

PASSWORD = "Correct-Horse-42-battery"
FEEDBACK = {
    "overall": 3.0,
    "dimensions": {
        d: 3 for d in ("structure", "specificity", "data", "domain", "risk_safety", "stakeholders")
    },
    "flags": [],
    "rules_version": "test",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEALTHPM_")}
    env |= {
        "HEALTHPM_DATA_DIR": str(data_dir),
        "HEALTHPM_ENV": "test",
        "HEALTHPM_PRELOAD_MODEL": "false",
        "HF_HUB_OFFLINE": "1",
    }
    database_url = settings.pop("database_url", None)
    if database_url:
        env["HEALTHPM_DATABASE_URL"] = database_url
    env |= {f"HEALTHPM_{k.upper()}": v for k, v in settings.items()}
    return env


@dataclass
class Server:
    """A running server: its URL, data dir and environment (for CLI commands on its store)."""

    url: str
    data_dir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes]
    log: Path
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, address: str | None = None) -> httpx.Client:
        """A browser-like client; `address` is sent as X-Forwarded-For."""
        headers = {"X-Forwarded-For": address} if address else {}
        c = httpx.Client(base_url=self.url, headers=headers, timeout=60)
        self.clients.append(c)
        c.get("/signin")
        return c

    def signup(
        self, email: str | None = None, address: str | None = None, **form: str
    ) -> httpx.Client:
        c = self.client(address)
        r = post(c, "/signup", {"email": email or new_email(), "password": PASSWORD, **form})
        assert r.status_code == 303, r.text[:500]
        return c

    def me(self, session_cookie: str | None) -> int:
        """The status of /api/me for a browser holding only this session cookie."""
        with httpx.Client(base_url=self.url) as c:
            r = c.get("/api/me", headers={"Cookie": f"healthpm_session={session_cookie or ''}"})
            return r.status_code

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env=self.env, stdin=stdin)

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "healthpm.sqlite3"


def run_cli(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "healthpm", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def new_email(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


def csrf(c: httpx.Client) -> str:
    return c.cookies.get("healthpm_csrf") or ""


def post(c: httpx.Client, url: str, data: dict[str, str] | None = None) -> httpx.Response:
    return c.post(url, data={**(data or {}), "csrf_token": csrf(c)})


def start_server(data_dir: Path, *args: str, **settings: str) -> Server:
    port = free_port()
    env = server_env(data_dir, **settings)
    log = data_dir.parent / f"serve-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "healthpm", "serve", "--multi-user", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, env, proc, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(server.url + "/levels", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("server did not start within 120 s")


def stop_server(server: Server) -> None:
    for c in server.clients:
        c.close()
    server.proc.terminate()
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A database URL shared by the live servers (a fresh schema) when testing PostgreSQL."""
    base = os.environ.get("HEALTHPM_TEST_DATABASE_URL")
    if not base:
        yield None
        return
    from pg_schema import throwaway_schema

    with throwaway_schema(base, "sec_", hex_chars=12) as url:
        yield url


def db_settings(pg_url: str | None) -> dict[str, str]:
    return {"database_url": pg_url} if pg_url else {}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, pg_url: str | None) -> Iterator[Server]:
    """Default settings (no trusted proxy), except room for the suite's many sign-ups."""
    s = start_server(
        tmp_path_factory.mktemp("live") / "data",
        signups_per_client_per_hour="100000",
        **db_settings(pg_url),
    )
    yield s
    stop_server(s)


@pytest.fixture(scope="session")
def twin(server: Server) -> Iterator[Server]:
    """A second instance on the same store (as behind a load balancer)."""
    s = start_server(server.data_dir, **{k: v for k, v in _settings(server).items()})
    yield s
    stop_server(s)


def _settings(server: Server) -> dict[str, str]:
    skip = {"HEALTHPM_DATA_DIR", "HEALTHPM_ENV", "HEALTHPM_PRELOAD_MODEL"}
    return {
        k.removeprefix("HEALTHPM_").lower(): v
        for k, v in server.env.items()
        if k.startswith("HEALTHPM_") and k not in skip
    }


@pytest.fixture(scope="session")
def proxied(tmp_path_factory: pytest.TempPathFactory, pg_url: str | None) -> Iterator[Server]:
    """An operator who names 127.0.0.1 as the trusted proxy; default limits otherwise."""
    s = start_server(
        tmp_path_factory.mktemp("proxied") / "data",
        trusted_proxies="127.0.0.1",
        **db_settings(pg_url),
    )
    yield s
    stop_server(s)


def user_id(c: httpx.Client) -> int:
    return int(c.get("/api/me").json()["id"])


def export_file(c: httpx.Client, **sections: object) -> dict[str, object]:
    data: dict[str, object] = c.get("/api/export").json()
    data.update(sections)
    return data


def attempt(
    answer: str = "We would pilot with nurses and measure alarm fatigue.", **extra: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "ref": 1,
        "question_id": None,
        "question_text": "How would you launch remote monitoring?",
        "answer": answer,
        "feedback": FEEDBACK,
        "overall": 3.0,
        "time_taken_s": None,
        "mock_ref": None,
        "redacted": False,
        "created_at": "2026-03-04T00:00:00+00:00",
        "comments": [],
    }
    row.update(extra)
    return row


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1 and "Traceback" not in text


def attempt_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r"/practice/attempts/(\d+)", html)]


@pytest.fixture
def catalog() -> Catalog:
    return get_catalog()


@pytest.fixture
def multi_app(
    settings: Settings, session_factory: sessionmaker[Session], catalog: Catalog
) -> FastAPI:
    """The multi-user app in this process (for what a live server cannot show)."""
    multi = settings.model_copy(update={"multi_user": True})
    return create_app(multi, session_factory=session_factory, catalog=lambda: catalog)


def signed_up(c: TestClient, email: str | None = None) -> TestClient:
    c.get("/signin")
    form = {
        "email": email or new_email(),
        "password": PASSWORD,
        "csrf_token": c.cookies["healthpm_csrf"],
    }
    r = c.post("/signup", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return c
