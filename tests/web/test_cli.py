"""`healthpm user reset-password` and `user create` through the real error boundary."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import authenticate, create_user
from healthpm.config import Settings
from healthpm.db import transaction
from healthpm.errors import AuthError


def _run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    from healthpm.cli import app
    from healthpm.cli.common import run_app

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run_app(app, list(args))


def test_reset_password_from_stdin(
    settings: Settings, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(session_factory) as s:
        create_user(s, email="ana@example.org", password="first password!")
    code = _run(
        monkeypatch,
        "second password!\n",
        "user",
        "reset-password",
        "ana@example.org",
        "--password-stdin",
    )
    assert code == 0
    with transaction(session_factory) as s:
        assert authenticate(s, email="ana@example.org", password="second password!")
        with pytest.raises(AuthError):
            authenticate(s, email="ana@example.org", password="first password!")


def test_reset_password_unknown_email_fails_with_one_line(
    settings: Settings,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = _run(
        monkeypatch,
        "second password!\n",
        "user",
        "reset-password",
        "no@example.org",
        "--password-stdin",
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: no account with email no@example.org"


def test_user_create_coach(
    settings: Settings, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _run(
        monkeypatch,
        "coach password!\n",
        "user",
        "create",
        "c@example.org",
        "--role",
        "coach",
        "--password-stdin",
    )
    assert code == 0
    with transaction(session_factory) as s:
        assert authenticate(s, email="c@example.org", password="coach password!").role == "coach"
