"""Practice history per profile: answers from before profiles belong to none until claimed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile
from healthpm.navigator.service import save_profile
from healthpm.practice import earlier, service
from healthpm.practice.models import Attempt

from .conftest import Runner
from .fakes import FakeEngine

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _answer(
    session: Session, engine: FakeEngine, catalog: Catalog, qid: str, name: str | None
) -> Attempt:
    return service.record_attempt(
        session,
        engine=engine,
        catalog=catalog,
        user_id=ensure_local_user(session).id,
        answer="An answer. [score 3]",
        question_id=qid,
        now=NOW,
        profile_name=name,
    )


def test_earlier_attempts_count_in_no_profile_until_claimed(
    session: Session, engine: FakeEngine, catalog: Catalog, profile: Profile
) -> None:
    user = ensure_local_user(session)
    save_profile(session, user=user, profile=profile)
    _answer(session, engine, catalog, "ehr-alerts", None)
    _answer(session, engine, catalog, "baa-vendor", "Ana")
    assert [
        a.question_id for a in service.list_attempts(session, user_id=user.id, profile_name="Ana")
    ] == ["baa-vendor"]
    assert earlier.count_earlier(session, user_id=user.id) == 1
    assert service.score_trend(session, user_id=user.id, limit=10, profile_name="Ana") != []
    assert len(service.score_trend(session, user_id=user.id, limit=10, profile_name="Ana")) == 1
    assert earlier.claim_earlier(session, user_id=user.id, profile_name="Ana") == 1
    assert earlier.count_earlier(session, user_id=user.id) == 0
    assert len(service.list_attempts(session, user_id=user.id, profile_name="Ana")) == 2


def test_a_question_practised_by_another_profile_is_new_to_this_one(
    session: Session, engine: FakeEngine, catalog: Catalog, profile: Profile
) -> None:
    user = ensure_local_user(session)
    _answer(session, engine, catalog, "ehr-alerts", "Someone else")
    _answer(session, engine, catalog, "baa-vendor", None)
    queue = service.due_questions(
        session, catalog=catalog, user_id=user.id, now=NOW, limit=10, profile=profile
    )
    reasons = {item.question_id: item.reason for item in queue}
    assert "ehr-alerts" in reasons and "baa-vendor" in reasons
    assert "due" not in reasons["ehr-alerts"]
    _answer(session, engine, catalog, "nurse-handoff", "Ana")
    queue = service.due_questions(
        session, catalog=catalog, user_id=user.id, now=NOW, limit=10, profile=profile
    )
    assert "nurse-handoff" not in {item.question_id for item in queue}  # scheduled later


def _save(factory: sessionmaker[Session], profile: Profile) -> None:
    with factory() as s, s.begin():
        save_profile(s, user=ensure_local_user(s), profile=profile)


def test_cli_history_lists_earlier_apart_and_claim_moves_them(
    run_cli: Runner, session_factory: sessionmaker[Session], profile: Profile
) -> None:
    assert run_cli("practice", "score", "--question-id", "ehr-alerts", "-", stdin="a").code == 0
    _save(session_factory, profile)
    assert run_cli("practice", "score", "--question-id", "baa-vendor", "-", stdin="b").code == 0
    with session_factory() as s:
        names = [a.profile_name for a in s.scalars(select(Attempt).order_by(Attempt.id))]
    assert names == [None, "Ana"]  # the terminal stores the current profile, like the web
    out = run_cli("practice", "history").out
    assert "Practice history of Ana" in out and "Earlier practice (before profiles)" in out
    assert "healthpm practice claim --profile Ana" in out
    unknown = run_cli("practice", "claim", "--profile", "Bob")
    assert (
        unknown.code == 2 and "no profile named 'Bob'" in unknown.line and "'Ana'" in unknown.line
    )
    moved = run_cli("practice", "claim", "--profile", "Ana")
    assert moved.code == 0 and "moved 1 earlier answer to 'Ana'" in moved.out
    out = run_cli("practice", "history").out
    assert "Earlier practice" not in out
    rows = json.loads(run_cli("practice", "history", "--json").out)
    assert [r["profile_name"] for r in rows] == ["Ana", "Ana"]
