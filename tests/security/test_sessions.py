"""H1, H2, M1, L8 and L9's refusal line: secrets, server-side sessions, session-bound CSRF."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from healthpm.accounts.service import create_user
from healthpm.accounts.sessions import SessionPolicy, session_user, start_session
from healthpm.config import Settings, load_or_create_secret
from healthpm.db import utcnow
from healthpm.errors import ConfigError

from .conftest import PASSWORD, Server, new_email, one_line, post, run_cli, server_env, user_id


def test_h1_a_cookie_signed_with_the_old_placeholder_opens_nothing(server: Server) -> None:
    victim = server.signup()
    uid = user_id(victim)
    forged = URLSafeTimedSerializer("change-me", salt="healthpm-session").dumps({"uid": uid})
    for value in (forged, str(uid), ""):
        assert server.me(value) == 401


def test_h1_the_secret_is_generated_once_256_bits_0600(server: Server) -> None:
    path = server.data_dir / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    value = path.read_text().strip()
    assert len(value) >= 43  # token_urlsafe(32): 256 random bits
    assert load_or_create_secret(path) == value  # reused, not replaced


@pytest.mark.parametrize(
    ("env", "secret"),
    [
        ("production", ""),
        ("production", "a"),
        ("Production", "change-me"),
        ("production ", "change-me"),
        ("PRODUCTION", "please-change-this-secret-before-going-live-123"),
    ],
)
def test_h1_production_refuses_short_or_placeholder_secrets_in_one_line(
    env: str, secret: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    environ = server_env(tmp_path_factory.mktemp("prod")) | {
        "HEALTHPM_ENV": env,
        "HEALTHPM_SECRET_KEY": secret,
    }
    done = run_cli("serve", "--port", "1", env=environ)
    assert done.returncode == 2
    assert one_line(done.stderr) and "HEALTHPM_SECRET_KEY" in done.stderr, done.stderr


def test_h1_multi_user_refuses_a_weak_secret_in_any_env() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(env="development", multi_user=True, secret_key="change-me")
    Settings(env="production", secret_key="k" * 8 + "Zq3-vX9_pL2mN7bR4tY6wE1sD5fG8hJ0")


def test_h2_a_deleted_accounts_cookie_never_opens_a_later_account(server: Server) -> None:
    gone = server.signup()
    gone_id = user_id(gone)
    cookie = gone.cookies.get("healthpm_session")
    r = gone.post("/api/account/delete", json={"confirm": "delete my data"})
    assert r.status_code == 200
    newcomer = server.signup()
    assert user_id(newcomer) > gone_id  # ids are never handed out twice
    assert server.me(cookie) == 401


def test_m1_sign_out_ends_the_session_on_the_server(server: Server) -> None:
    c = server.signup()
    copied = c.cookies.get("healthpm_session") or ""
    assert post(c, "/signout").status_code == 303
    assert server.me(copied) == 401


def test_m1_password_reset_ends_every_session(server: Server) -> None:
    email = new_email()
    first = server.signup(email)
    second = server.client()
    assert post(second, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
    done = server.cli(
        "user", "reset-password", email, "--password-stdin", stdin="A-new-pass-phrase-77\n"
    )
    assert done.returncode == 0, done.stderr
    for c in (first, second):
        assert c.get("/api/me").status_code == 401


def test_sessions_rotate_at_sign_in_and_only_hashes_are_stored(server: Server) -> None:
    email = new_email()
    c = server.signup(email)
    before = c.cookies.get("healthpm_session") or ""
    assert post(c, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
    after = c.cookies.get("healthpm_session") or ""
    assert before != after
    assert server.me(before) == 401  # the old session ended
    if server.sqlite_file.exists():
        with sqlite3.connect(server.sqlite_file) as db:
            stored = {row[0] for row in db.execute("SELECT token_hash FROM auth_session")}
        assert hashlib.sha256(after.encode()).hexdigest() in stored
        assert after not in stored


def test_sessions_expire_when_idle_and_absolutely(session_factory, settings) -> None:  # type: ignore[no-untyped-def]
    policy = SessionPolicy(idle=timedelta(hours=1), absolute=timedelta(days=1))
    with session_factory() as s:
        user = create_user(s, email=new_email(), password=PASSWORD)
        token = start_session(s, user=user)
        s.commit()
        now = utcnow()
        assert session_user(s, token=token, policy=policy, now=now) is not None
        assert (
            session_user(s, token=token, policy=policy, now=now + timedelta(minutes=59)) is not None
        )
        assert session_user(s, token=token, policy=policy, now=now + timedelta(hours=3)) is None
        token = start_session(s, user=user)
        moment = now
        for _ in range(30):  # kept busy, still ends a day after sign-in
            moment += timedelta(minutes=50)
            alive = session_user(s, token=token, policy=policy, now=moment)
        assert alive is None


def test_l8_the_csrf_token_is_bound_to_the_session(server: Server) -> None:
    a, b = server.signup(), server.signup()
    a_token = a.cookies.get("healthpm_csrf") or ""
    b.cookies.set("healthpm_csrf", a_token)
    r = b.post("/plan/replan", data={"csrf_token": a_token})
    assert r.status_code == 403
    b_token = b.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert b_token != a_token


def test_config_errors_are_one_line(tmp_path_factory: pytest.TempPathFactory) -> None:
    environ = server_env(tmp_path_factory.mktemp("cfg")) | {"HEALTHPM_PORT": "not-a-port"}
    done = run_cli("serve", env=environ)
    assert done.returncode == 2 and one_line(done.stderr), done.stderr
    with pytest.raises(ConfigError):
        bad = tmp_path_factory.mktemp("key") / "secret_key"
        bad.write_text("short")
        load_or_create_secret(bad)


def test_m1_password_change_ends_every_other_session(server: Server) -> None:
    email = new_email()
    here = server.signup(email)
    elsewhere = server.client()
    assert post(elsewhere, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
    wrong = post(here, "/account/password", {"current": "not-the-password", "new": "x" * 20})
    assert wrong.status_code == 400 and elsewhere.get("/api/me").status_code == 200
    r = post(here, "/account/password", {"current": PASSWORD, "new": "A-brand-new-phrase-31"})
    assert r.status_code == 303
    assert elsewhere.get("/api/me").status_code == 401
    assert here.get("/api/me").status_code == 200  # this browser got a new session
    fresh = server.client()
    ok = post(fresh, "/signin", {"email": email, "password": "A-brand-new-phrase-31"})
    assert ok.status_code == 303
