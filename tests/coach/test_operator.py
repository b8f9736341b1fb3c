"""The operator's tools: `healthpm user ...`, invitations and closed sign-up, `db`, `export
--all` without a phantom account, `/healthz`, usage errors as one line (B5, B6)."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.models import LOCAL_USER_EMAIL, User
from healthpm.accounts.service import create_user
from healthpm.config import Settings
from healthpm.db import transaction
from web.conftest import ClientFactory, post

PASSWORD = "correct horse battery"


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    from healthpm.cli import app
    from healthpm.cli.common import run_app

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run_app(app, list(args))


def _users(factory: sessionmaker[Session]) -> dict[str, User]:
    with factory() as s:
        return {u.email: u for u in s.scalars(select(User))}


def test_usage_errors_are_one_message_not_a_traceback(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "user", "frobnicate") == 2
    err = capsys.readouterr().err
    assert "No such command" in err and "Traceback" not in err
    assert _run(monkeypatch, "user", "create") == 2  # missing argument
    assert "Traceback" not in capsys.readouterr().err


def test_user_create_list_rename_set_role_disable_delete(
    settings: Settings,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = _run(
        monkeypatch,
        *("user", "create", "coach@bootcamp.test", "--role", "coach"),
        *("--name", "Cora Coach", "--password-stdin"),
        stdin=PASSWORD + "\n",
    )
    assert code == 0
    with transaction(session_factory) as s:
        create_user(s, email="ana@cohort.test", password=PASSWORD)
    capsys.readouterr()
    assert _run(monkeypatch, "user", "list") == 0
    out = capsys.readouterr().out
    assert "coach@bootcamp.test (Cora Coach)  coach, admin" in out and "ana@cohort.test" in out
    assert _run(monkeypatch, "user", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [u["email"] for u in listed] == ["coach@bootcamp.test", "ana@cohort.test"]
    assert _run(monkeypatch, "user", "rename", "ana@cohort.test", "Ana Lima") == 0
    assert _run(monkeypatch, "user", "set-role", "ana@cohort.test", "coach") == 0
    assert _users(session_factory)["ana@cohort.test"].role == "coach"
    assert _users(session_factory)["ana@cohort.test"].name == "Ana Lima"
    assert _run(monkeypatch, "user", "set-role", "ana@cohort.test", "boss") == 2
    assert _run(monkeypatch, "user", "disable", "ana@cohort.test") == 0
    assert _users(session_factory)["ana@cohort.test"].disabled_at is not None
    assert _run(monkeypatch, "user", "delete", "ana@cohort.test", "--yes") == 0
    assert "ana@cohort.test" not in _users(session_factory)
    assert _run(monkeypatch, "user", "delete", "nobody@cohort.test", "--yes") == 2


def test_disabled_account_cannot_sign_in_and_is_signed_out(
    make_client: ClientFactory, session_factory: sessionmaker[Session], multi_app: FastAPI
) -> None:
    ana = make_client("ana@cohort.test")
    assert ana.get("/api/me").status_code == 200
    from healthpm.accounts.admin import account, set_disabled

    with transaction(session_factory) as s:
        set_disabled(s, user=account(s, "ana@cohort.test"), disabled=True)
    assert ana.get("/api/me").status_code == 401
    again = make_client()
    r = post(again, "/signin", {"email": "ana@cohort.test", "password": PASSWORD})
    assert r.status_code == 401 and "disabled" in r.text


def test_invite_and_import_make_one_time_links_and_closed_signup(
    settings: Settings,
    session_factory: sessionmaker[Session],
    multi_app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("HEALTHPM_PUBLIC_URL", "https://pm.bootcamp.example")
    from healthpm.config import get_settings

    get_settings.cache_clear()
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "email,name,role\nnadia@cohort.test,Nadia Okafor,candidate\n"
        "cora@bootcamp.test,Cora,coach\n",
        encoding="utf-8",
    )
    assert _run(monkeypatch, "user", "import", str(cohort)) == 0
    out = capsys.readouterr().out
    links = dict(re.findall(r"^([^,\n]+),\w+,(https://pm\.bootcamp\.example/join/\S+)$", out, re.M))
    assert set(links) == {"nadia@cohort.test", "cora@bootcamp.test"}
    closed = multi_app
    closed.state.settings = closed.state.settings.model_copy(update={"signup": "invite"})
    with TestClient(closed) as c:
        signin = c.get("/signin").text
        assert 'href="/signup' not in signin and "by invitation" in signin
        assert c.get("/signup").status_code == 403
        path = links["cora@bootcamp.test"].removeprefix("https://pm.bootcamp.example")
        assert "invited as a <strong>coach</strong>" in c.get(path).text
        r = post(c, path, {"password": PASSWORD, "name": "Cora Coach"})
        assert r.status_code == 303 and r.headers["location"] == "/coach"
        assert c.get("/api/me").json()["role"] == "coach"
    with TestClient(closed) as c:
        c.get("/signin")
        assert c.get(path).status_code == 404  # spent
    assert _run(monkeypatch, "user", "invite", "cora@bootcamp.test") == 2  # has an account
    get_settings.cache_clear()


def test_export_without_email_on_accounts_refuses_and_all_exports_each(
    settings: Settings,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    with transaction(session_factory) as s:
        create_user(s, email="ana@cohort.test", password=PASSWORD)
        create_user(s, email="bo@cohort.test", password=PASSWORD)
    assert _run(monkeypatch, "export", "-o", str(tmp_path / "all.json")) == 2
    assert "--all" in capsys.readouterr().err
    assert LOCAL_USER_EMAIL not in _users(session_factory)  # B6: no phantom account
    assert _run(monkeypatch, "export", "--all", "-o", str(tmp_path / "backup")) == 0
    files = sorted(p.name for p in (tmp_path / "backup").iterdir())
    assert len(files) == 2 and files[0].endswith("ana@cohort.test.json")
    data = json.loads((tmp_path / "backup" / files[1]).read_text())
    assert "attempts" in data and "profiles" in data


def test_db_upgrade_and_current(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "db", "current") == 0
    assert "no schema yet" in capsys.readouterr().out
    assert _run(monkeypatch, "db", "upgrade") == 0
    assert "upgraded an empty database -> " in capsys.readouterr().out
    assert _run(monkeypatch, "db", "upgrade") == 0
    assert "up to date" in capsys.readouterr().out


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in r.headers.get("cache-control", "")
