"""Your data is yours: export, import elsewhere (round trip), re-import, erase, delete.

The round trip compares two exports that may differ only in `exported_at` (when the file was
written) and `user` (the account it came from); ids never appear in the file (cross-references
are positions), and every other timestamp is carried over as it was.
"""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts import sharing
from healthpm.accounts.models import User
from healthpm.accounts.portability import (
    count_user_rows,
    delete_account,
    erase_user_data,
    export_user_data,
    import_user_data,
)
from healthpm.accounts.service import create_user, ensure_local_user
from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.db import transaction, utcnow
from healthpm.demo import DEMO_NAMES, demo_profile
from healthpm.errors import InvalidInputError
from healthpm.navigator import service as navigator
from healthpm.practice import mock as mocks
from healthpm.practice import service as practice
from healthpm.store import open_store

from .conftest import ClientFactory, csrf, onboard, post
from .fakes import FakeEngine

FLAGGED = "We will grow engagement with streaks. Success means fewer missed alerts."
VOLATILE = ("exported_at", "user")
PASSWORD = "correct horse battery"


def populate(session: Session, user: User, catalog: Catalog) -> None:
    """A user with a profile, a plan, ticks, hours, attempts, cards, a mock and a share."""
    engine = FakeEngine(catalog)
    profile = demo_profile(DEMO_NAMES[0], catalog)
    navigator.make_plan(session, user=user, profile=profile, catalog=catalog)
    keys = [t["key"] for t in navigator.current_plan(session, user=user)["tasks"]]
    navigator.set_task_done(session, user=user, task_key=keys[0])
    navigator.set_task_done(session, user=user, task_key=keys[1])
    navigator.set_task_done(session, user=user, task_key=keys[1], done=False)
    navigator.log_hours(session, user=user, hours=1.5, on=date(2027, 1, 5), task_key=keys[0])
    navigator.log_hours(session, user=user, hours=2, on=date(2027, 1, 6), note="reading")
    qids = list(catalog.questions)[:2]
    start = utcnow() - timedelta(days=3)
    for i, qid in enumerate(qids):
        practice.record_attempt(
            session,
            engine=engine,
            catalog=catalog,
            user_id=user.id,
            answer=FLAGGED if i == 0 else "A careful answer about outcomes. " * 20,
            question_id=qid,
            now=start + timedelta(hours=i),
        )
    practice.record_attempt(
        session, engine=engine, catalog=catalog, user_id=user.id,
        answer="Free text answer.", question_text="How would you launch a pilot?",
    )  # fmt: skip
    mock = mocks.start_mock(session, catalog=catalog, user_id=user.id, minutes=10)
    practice.record_attempt(
        session, engine=engine, catalog=catalog, user_id=user.id,
        answer=FLAGGED, question_id=mock.question_ids[0], mock_id=mock.id,
    )  # fmt: skip
    mocks.finish_mock(session, mock=mock)
    session.flush()


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in VOLATILE}


def _other_store(tmp_path: Path) -> sessionmaker[Session]:
    """A second, fresh instance (SQLite; the first may be PostgreSQL)."""
    other = Settings(env="test", data_dir=tmp_path / "other", database_url=None)
    other = other.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'other' / 'other.sqlite3'}"}
    )
    return open_store(other)


def test_round_trip_into_a_fresh_instance_loses_nothing(
    session_factory: sessionmaker[Session], catalog: Catalog, tmp_path: Path
) -> None:
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        populate(s, user, catalog)
        first = json.loads(json.dumps(export_user_data(s, user)))
    assert first["format"] == "healthpm-export" and first["version"] == 1
    assert len(first["attempts"]) == 4 and len(first["mock_sessions"]) == 1
    assert any(a["feedback"]["flags"] for a in first["attempts"])
    assert first["review_cards"] and first["task_progress"] and len(first["hours"]) == 2
    other = _other_store(tmp_path)
    with transaction(other) as s:
        newcomer = create_user(s, email="new@example.org", password=PASSWORD)
        added = import_user_data(s, newcomer, first, catalog=catalog)
        assert added["attempts"] == 4 and added["plans"] == 1
    with transaction(other) as s:
        newcomer = s.scalars(select(User).where(User.email == "new@example.org")).one()
        second = json.loads(json.dumps(export_user_data(s, newcomer)))
        ticked = {t["task_key"] for t in first["task_progress"] if t["done"]}
        assert len(ticked) == 1 and navigator.done_keys(s, user=newcomer) == ticked
        attempt_mock = [a for a in second["attempts"] if a["mock_ref"] is not None]
        assert len(attempt_mock) == 1
    assert _strip(second) == _strip(first)
    other.kw["bind"].dispose()


def test_reimporting_the_same_file_adds_nothing(
    session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        populate(s, user, catalog)
        data = export_user_data(s, user)
        before = count_user_rows(s, user.id)
        added = import_user_data(s, user, data, catalog=catalog)
        assert sum(added.values()) == 0
        assert count_user_rows(s, user.id) == before


def _broken(data: dict[str, Any]) -> list[tuple[str, dict[str, Any] | list[Any]]]:
    cases: list[tuple[str, dict[str, Any] | list[Any]]] = [("not an object", [1, 2])]
    for what, path, value in (
        ("format", ("format",), "zip"),
        ("version", ("version",), 99),
        ("score", ("attempts", 0, "overall"), "high"),
        ("feedback", ("attempts", 0, "feedback"), {"overall": 3}),
        ("mock ref", ("attempts", 3, "mock_ref"), 42),
        ("profile ref", ("plans", 0, "profile_ref"), 9),
        ("card", ("review_cards", 0, "card"), {"state": "nonsense"}),
        ("hours", ("hours", 0, "hours"), -1),
        ("unknown field", ("profiles", 0, "colour"), "blue"),
        ("profile", ("profiles", 0, "data", "target_level"), "emperor"),
    ):
        broken = copy.deepcopy(data)
        node: Any = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        cases.append((what, broken))
    return cases


def test_malformed_files_are_refused_with_nothing_written(
    session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    with transaction(session_factory) as s:
        source = ensure_local_user(s)
        populate(s, source, catalog)
        data = json.loads(json.dumps(export_user_data(s, source)))
        target = create_user(s, email="target@example.org", password=PASSWORD)
        for what, broken in _broken(data):
            with pytest.raises(InvalidInputError) as info:
                import_user_data(s, target, broken, catalog=catalog)
            assert "\n" not in str(info.value), what
            assert sum(count_user_rows(s, target.id).values()) == 0, what


def test_a_failure_while_writing_leaves_nothing(
    session_factory: sessionmaker[Session], catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from healthpm.accounts.portability_import import Importer

    with transaction(session_factory) as s:
        source = ensure_local_user(s)
        populate(s, source, catalog)
        data = export_user_data(s, source)
        target_id = create_user(s, email="target@example.org", password=PASSWORD).id

    def boom(self: Importer) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Importer, "_cards", boom)
    with pytest.raises(RuntimeError), transaction(session_factory) as s:
        import_user_data(s, s.get(User, target_id), data, catalog=catalog)
    with transaction(session_factory) as s:
        assert sum(count_user_rows(s, target_id).values()) == 0


def test_delete_account_deletes_every_row_and_nothing_else(
    session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    with transaction(session_factory) as s:
        ana = create_user(s, email="ana@example.org", password=PASSWORD)
        bo = create_user(s, email="bo@example.org", password=PASSWORD)
        coach = create_user(s, email="coach@example.org", password=PASSWORD, role="coach")
        populate(s, ana, catalog)
        populate(s, bo, catalog)
        sharing.share(s, owner=ana, coach_email=coach.email, kind="practice")
        attempt = practice.list_attempts(s, user_id=ana.id)[0]
        sharing.add_comment(s, author=coach, owner_id=ana.id, attempt_id=attempt.id, body="Good")
        before = count_user_rows(s, ana.id)
        bo_before = count_user_rows(s, bo.id)
        assert all(before[t] for t in ("profile", "plan", "attempt", "review_card", "share"))
        assert before["comment"] == 1
        exported = export_user_data(s, ana)
        assert exported["attempts"][-1]["comments"] or exported["attempts"][0]["comments"]
        deleted = delete_account(s, ana)
        assert deleted == before
        assert sum(count_user_rows(s, ana.id).values()) == 0
        assert count_user_rows(s, bo.id) == bo_before
        assert s.get(User, ana.id) is None and s.get(User, coach.id) is not None


def test_erase_keeps_the_local_user(
    session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        populate(s, user, catalog)
        erase_user_data(s, user)
        assert sum(count_user_rows(s, user.id).values()) == 0
        assert ensure_local_user(s).id == user.id


# --- web and API ----------------------------------------------------------------------------


def test_pages_download_import_and_delete(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    page = client.get("/account")
    assert "Download my data (JSON)" in page.text and 'for="delete-confirm"' in page.text
    r = client.get("/account/export.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    again = client.post(
        "/account/import",
        data={"csrf_token": csrf(client)},
        files={"file": ("d.json", json.dumps(data).encode(), "application/json")},
    )
    assert again.status_code == 200 and 'data-imported="0"' in again.text
    bad = client.post(
        "/account/import",
        data={"csrf_token": csrf(client)},
        files={"file": ("d.json", b"{not json", "application/json")},
    )
    assert bad.status_code == 400 and "not JSON" in bad.text
    no_csrf = client.post("/account/delete", data={"confirm": "delete my data"})
    assert no_csrf.status_code == 403
    wrong = post(client, "/account/delete", {"confirm": "yes"})
    assert wrong.status_code == 400 and client.get("/api/profile").status_code == 200
    done = post(client, "/account/delete", {"confirm": "delete my data"})
    assert done.status_code == 303
    assert client.get("/api/profile").status_code == 404
    assert client.get("/api/export").json()["profiles"] == []
    r = client.post("/api/import", json=data)
    assert r.status_code == 200 and r.json()["added"]["profiles"] == 1
    assert client.get("/api/profile").json()["name"] == "Dana"


def test_multi_user_delete_signs_out_and_api(make_client: ClientFactory, catalog: Catalog) -> None:
    ana = make_client("ana@example.org")
    onboard(ana, catalog)
    exported = ana.get("/api/export").json()
    assert exported["user"]["email"] == "ana@example.org"
    bo = make_client("bo@example.org")
    assert bo.post("/api/import", json={"format": "nope"}).status_code == 400
    assert bo.post("/api/import", json=exported).json()["added"]["plans"] == 1
    assert bo.post("/api/account/delete", json={"confirm": "no"}).status_code == 400
    r = bo.post("/api/account/delete", json={"confirm": "delete my data"})
    assert r.status_code == 200 and r.json()["deleted"]["profile"] == 1
    assert bo.get("/api/me").status_code == 401
    r = post(ana, "/account/delete", {"confirm": "delete my data"})
    assert r.status_code == 303 and r.headers["location"].startswith("/signup")
    assert ana.get("/api/me").status_code == 401
    assert (
        post(ana, "/signin", {"email": "ana@example.org", "password": PASSWORD}).status_code == 401
    )


def test_cli_export_then_import(
    settings: Settings,
    session_factory: sessionmaker[Session],
    catalog: Catalog,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from healthpm.cli import app
    from healthpm.cli.common import run_app

    with transaction(session_factory) as s:
        populate(s, ensure_local_user(s), catalog)
        create_user(s, email="ana@example.org", password=PASSWORD)
    out = tmp_path / "mine.json"
    assert run_app(app, ["export", "-o", str(out)]) == 0
    assert run_app(app, ["import", str(out), "--email", "ana@example.org"]) == 0
    assert "4 attempts" in capsys.readouterr().out
    assert run_app(app, ["import", str(out), "--email", "ana@example.org"]) == 0
    assert "nothing new" in capsys.readouterr().out
    out.write_text("[]")
    assert run_app(app, ["import", str(out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert run_app(app, ["import", str(tmp_path / "missing.json")]) == 2


def test_single_user_can_start_a_profile_of_their_own_beside_the_demo(
    client: TestClient, session_factory: sessionmaker[Session], catalog: Catalog
) -> None:
    from healthpm.demo import load_demo

    load_demo(session_factory, Settings(env="test"), catalog)
    demo_name = demo_profile(DEMO_NAMES[0], catalog).name
    assert "Start my own profile" in client.get("/").text
    page = client.get("/onboarding")
    assert "data-demo-profile" in page.text and demo_name in page.text
    fresh = client.get("/onboarding?fresh=1")
    assert 'name="fresh" value="1"' in fresh.text and demo_name not in fresh.text
    about = {
        "fresh": "1",
        "name": demo_name,
        "background": "physician",
        "years_experience": 3,
        "target_level": "associate-pm",
        "hours_per_week": 4,
        "start_date": "2027-02-01",
    }
    clash = post(client, "/onboarding", about)
    assert clash.status_code == 400 and "choose another name" in clash.text
    assert post(client, "/onboarding", about | {"name": "Sam"}).status_code == 303
    mine = client.get("/api/profile").json()
    assert mine["name"] == "Sam" and mine["ratings"] == {} and mine["background"] == "physician"
    assert {p["name"] for p in client.get("/api/export").json()["profiles"]} == {demo_name, "Sam"}
    assert "data-demo-profile" not in client.get("/onboarding").text


@pytest.mark.parametrize("clear", [True, False])
def test_a_profile_of_your_own_may_drop_what_was_tried_on_the_demo(
    client: TestClient, session_factory: sessionmaker[Session], catalog: Catalog, clear: bool
) -> None:
    from healthpm.demo import load_demo

    load_demo(session_factory, Settings(env="test"), catalog)
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        task = navigator.current_plan(s, user=user)["tasks"][0]["key"]
        navigator.set_task_done(s, user=user, task_key=task)
        navigator.log_hours(s, user=user, hours=1.5, on=date(2027, 1, 4), task_key=task)
    page = client.get("/onboarding?fresh=1").text
    assert 'name="clear_demo_progress" value="1" checked' in page and "(2 entries)" in page
    about = {
        "fresh": "1",
        "name": "Sam",
        "background": "physician",
        "years_experience": 3,
        "target_level": "associate-pm",
        "hours_per_week": 4,
        "start_date": "2027-02-01",
    } | ({"clear_demo_progress": "1"} if clear else {})
    assert post(client, "/onboarding", about).status_code == 303
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        assert navigator.progress_entries(s, user=user) == (0 if clear else 2)
        assert (task in navigator.done_keys(s, user=user)) is not clear
    assert "clear_demo_progress" not in client.get("/onboarding?fresh=1").text  # no demo now
