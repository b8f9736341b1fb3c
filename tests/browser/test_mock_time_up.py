"""Mock interview time-up, end to end: when the total countdown reaches zero, the answer being
typed is submitted and scored, the interview ends, and the report gives feedback per question.

A mock lasts at least ten minutes in the form; to keep the test short, the mock's start is
moved back in the store so that only a few seconds are left when the page loads. The
countdown, the automatic submit and the scoring are the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import healthpm.models  # noqa: F401  (every table, so the foreign keys resolve)
from healthpm.practice.models import MockSession

from .conftest import Shot, _serve
from .test_newcomer import NURSE_ANSWER, check

pytestmark = pytest.mark.browser

SECONDS_LEFT = 8


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mock-time-up")


@pytest.fixture(scope="module")
def time_up_server(data_dir: Path) -> Iterator[str]:
    yield from _serve(data_dir)


def _leave_only(data_dir: Path, mock_id: int, seconds: int) -> None:
    """Move the mock's start back so that `seconds` of its time are left."""
    engine = create_engine(f"sqlite:///{data_dir / 'data' / 'healthpm.sqlite3'}")
    try:
        with Session(engine) as s, s.begin():
            mock = s.get(MockSession, mock_id)
            assert mock is not None
            mock.started_at = mock.started_at - timedelta(seconds=mock.minutes * 60 - seconds)
    finally:
        engine.dispose()


def test_time_up_submits_the_answer_and_the_report_has_per_question_feedback(
    browser: Any, time_up_server: str, data_dir: Path, shot: Shot
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(900_000)  # the first answer waits for the model to load
    page.goto(time_up_server + "/mock")
    page.get_by_label("Length in minutes").select_option("10")
    page.get_by_role("button", name=re.compile("Start")).click()
    page.wait_for_url(re.compile(r".*/mock/\d+$"))
    mock_id = int(page.url.rsplit("/", 1)[-1])
    prompt = page.locator("#mock-prompt").inner_text()
    _leave_only(data_dir, mock_id, SECONDS_LEFT)
    page.reload()
    left = int(page.locator("[data-deadline]").get_attribute("data-deadline") or "-1")
    assert 0 < left <= SECONDS_LEFT
    # Record (in sessionStorage, which survives the navigation) what the page did at zero:
    # the time-up note shown and the form sent with time_up=1.
    page.evaluate(
        """() => document.getElementById('mock-form').addEventListener('submit', (e) => {
          const note = document.getElementById('time-up-note');
          sessionStorage.setItem('up', e.target.time_up.value + ',' + note.hidden);
        })"""
    )
    page.get_by_label("Your answer").fill(NURSE_ANSWER)  # typed, never submitted by hand
    page.wait_for_url(re.compile(rf".*/mock/{mock_id}#report$"))
    assert page.evaluate("sessionStorage.getItem('up')") == "1,false"
    page.wait_for_selector("#report")
    assert page.locator("[data-time-up]").count() == 1
    assert "End report" in page.locator("#report").inner_text()
    assert "Answered\n1 of" in page.locator("#report").inner_text()
    answers = page.locator("[data-mock-answer]")
    assert answers.count() == 1
    card = answers.first.inner_text()
    assert prompt.strip() in card  # the question answered at time-up, whole
    assert re.search(r"\d\.\d of 5 · strongest: .+, weakest: ", card)
    assert "_" not in card  # dimension titles, not ids
    page.locator("[data-mock-answer] a", has_text="Full feedback").click()
    page.wait_for_selector("[data-overall]")
    assert "handoff checklist" in page.content()  # the typed answer was stored
    page.go_back()
    check(page, shot, "mock-time-up-report")
