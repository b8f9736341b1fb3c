"""Stories, job matches and reviewer opinions go into the export, come back on import (once),
and go with erase and account deletion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

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
from healthpm.db import transaction
from healthpm.domain.jobs.posting import read_posting
from healthpm.domain.stories.star import parse_story
from healthpm.domain.stories.tagging import StoryTagger
from healthpm.jobs import service as jobs
from healthpm.practice import service as practice
from healthpm.store import open_store
from healthpm.stories import service as stories
from practice.fakes import FakeEngine

from .test_stories import NURSE_STORY

POSTING = Path(__file__).parents[1] / "jobs" / "postings" / "03_senior_rpm.html"


def populate(s: Session, user: User, catalog: Catalog, tagger: StoryTagger) -> None:
    engine = FakeEngine(catalog)
    story = parse_story(NURSE_STORY)
    analysis = stories.analyse(story, tagger=tagger, engine=engine, catalog=catalog)
    stories.add_story(s, user_id=user.id, story=story, analysis=analysis, redacted=False)
    posting = read_posting(POSTING.read_text(), name=POSTING.name)
    jobs.save_match(
        s,
        user_id=user.id,
        posting=posting,
        result=jobs.match(posting, catalog=catalog, profile=None),
    )
    attempt = practice.record_attempt(
        s,
        engine=engine,
        catalog=catalog,
        user_id=user.id,
        answer="An answer.",
        question_id=next(iter(catalog.questions)),
    )
    attempt.reviewer = {
        "opinion": {"model": "m", "overall": 3.0, "flags": [], "comments": ""},
        "note": None,
        "sent": {"url": "http://x", "model": "m", "messages": []},
    }
    s.flush()


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("exported_at", "user")}


def test_round_trip_and_reimport(
    session_factory: sessionmaker[Session],
    real_catalog: Catalog,
    tagger: StoryTagger,
    tmp_path: Path,
) -> None:
    with transaction(session_factory) as s:
        user = ensure_local_user(s)
        populate(s, user, real_catalog, tagger)
        first = json.loads(json.dumps(export_user_data(s, user)))
    assert len(first["stories"]) == 1 and len(first["job_matches"]) == 1
    assert first["attempts"][0]["reviewer"]["opinion"]["overall"] == 3.0
    settings = Settings(
        env="test", data_dir=tmp_path / "o", database_url=f"sqlite:///{tmp_path / 'o.sqlite3'}"
    )
    other = open_store(settings)
    with transaction(other) as s:
        newcomer = create_user(s, email="n@example.org", password="correct horse battery")
        added = import_user_data(s, newcomer, first, catalog=real_catalog)
        assert added["stories"] == 1 and added["job_matches"] == 1
        again = import_user_data(s, newcomer, first, catalog=real_catalog)
        assert again["stories"] == 0 and again["job_matches"] == 0
    with transaction(other) as s:
        newcomer = s.scalars(select(User).where(User.email == "n@example.org")).one()
        second = json.loads(json.dumps(export_user_data(s, newcomer)))
    assert _strip(second) == _strip(first)
    other.kw["bind"].dispose()


def test_erase_and_delete_take_stories_and_matches(
    session_factory: sessionmaker[Session], real_catalog: Catalog, tagger: StoryTagger
) -> None:
    with transaction(session_factory) as s:
        ana = create_user(s, email="a@example.org", password="correct horse battery")
        bo = create_user(s, email="b@example.org", password="correct horse battery")
        populate(s, ana, real_catalog, tagger)
        populate(s, bo, real_catalog, tagger)
        counts = count_user_rows(s, ana.id)
        assert counts["story"] == 1 and counts["job_match"] == 1
        erase_user_data(s, ana)
        assert sum(count_user_rows(s, ana.id).values()) == 0
        assert count_user_rows(s, bo.id)["story"] == 1
        delete_account(s, bo)
        assert sum(count_user_rows(s, bo.id).values()) == 0
