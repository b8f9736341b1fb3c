"""`healthpm practice mock`: a timed mock interview in the terminal.

Each question shows the time left; the answer is read from stdin until a line holding a
single "." (or end of input), scored, stored, and the next question follows until the time
or the questions run out. Each answer is committed on its own (not one transaction for the
whole command) so an interrupted mock keeps what was typed, and the database is not held
locked while the user writes. In a mock, an answer that looks like it holds PHI is stored
redacted (unless --keep-phi) rather than stopping the interview.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import typer
from rich.panel import Panel
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.cli import practice_common
from healthpm.cli.common import console, err_console
from healthpm.cli.practice_render import render_mock_report
from healthpm.db import transaction
from healthpm.domain.labels import flag_title, label
from healthpm.errors import HealthPMError
from healthpm.practice import earlier, service
from healthpm.practice import mock as mock_service
from healthpm.practice.models import MockSession
from healthpm.practice.scoring import ScoringEngine

#: The clock the timer reads; tests replace it.
clock: Callable[[], float] = time.monotonic


def read_until_dot() -> tuple[str, bool]:
    """Lines from stdin up to a line with a single '.'; (text, True) when input ended."""
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line:
            return "\n".join(lines), True
        if line.strip() == ".":
            return "\n".join(lines), False
        lines.append(line.rstrip("\n"))


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class MockRun:
    """The state of one interactive mock: questions, timer, engine and store."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        catalog: Catalog,
        engine: ScoringEngine,
        mock_id: int,
        question_ids: list[str],
        minutes: int,
        keep_phi: bool,
    ) -> None:
        self.catalog = catalog
        self.engine = engine
        self.mock_id = mock_id
        self.question_ids = question_ids
        self.deadline = clock() + minutes * 60
        self.phi_choice: service.PhiChoice = "keep" if keep_phi else "redact"
        self.factory = factory

    def run(self) -> None:
        """Ask until the questions, the time or the input run out."""
        for number, qid in enumerate(self.question_ids, start=1):
            left = self.deadline - clock()
            if left <= 0:
                console.print("[bold]time is up[/bold]")
                return
            self._ask(number, qid, left)
            started = clock()
            answer, ended = read_until_dot()
            if answer.strip():
                self._score(qid, answer, clock() - started)
            else:
                console.print("skipped")
            if ended:
                console.print("end of input")
                return

    def _ask(self, number: int, qid: str, left: float) -> None:
        question = self.catalog.questions[qid]
        title = (
            f"Question {number}/{len(self.question_ids)} · {label(question.category)} · "
            f"{_clock_text(left)} left"
        )
        console.print(Panel(question.prompt, title=title, title_align="left"))
        console.print("Type your answer; end it with a line holding a single '.'")

    def _score(self, qid: str, answer: str, seconds: float) -> None:
        try:
            with transaction(self.factory) as session:
                user = ensure_local_user(session)
                attempt = service.record_attempt(
                    session,
                    engine=self.engine,
                    catalog=self.catalog,
                    user_id=user.id,
                    answer=answer,
                    question_id=qid,
                    phi_choice=self.phi_choice,
                    time_taken_s=round(seconds, 1),
                    mock_id=self.mock_id,
                    profile_name=earlier.current_profile_name(session, user_id=user.id),
                )
        except HealthPMError as exc:
            err_console.print(
                f"error: {exc}; this answer was not stored", markup=False, highlight=False
            )
            return
        flags = (
            ", ".join(flag_title(self.catalog.flags, f["id"]) for f in attempt.feedback["flags"])
            or "no red flags"
        )
        note = " (answer stored redacted)" if attempt.redacted else ""
        console.print(f"scored {attempt.overall:.1f} / 5 · {flags}{note}", highlight=False)


def mock(
    minutes: int = typer.Option(..., "--minutes", help="length of the interview (1-180)"),
    level: str | None = typer.Option(None, "--level", help="level id; default the profile's"),
    category: str | None = typer.Option(None, "--category", help="only this category"),
    profile: Path | None = typer.Option(None, "--profile", help="profile file", dir_okay=False),
    keep_phi: bool = typer.Option(False, "--keep-phi", help="store answers with PHI unredacted"),
) -> None:
    """A timed mock interview (about one question per 5 minutes), then a report."""
    catalog = practice_common.catalog()
    person = practice_common.load_profile(profile, catalog)
    factory = practice_common.session_factory()
    with transaction(factory) as session:
        user = ensure_local_user(session)
        person = practice_common.profile_or_stored(person, session, user, catalog)
        session_row = mock_service.start_mock(
            session,
            catalog=catalog,
            user_id=user.id,
            minutes=minutes,
            level=level,
            category=category,
            profile=person,
        )
        mock_id, question_ids = session_row.id, list(session_row.question_ids)
    err_console.print("loading the scoring model…", highlight=False)
    engine = practice_common.engine(catalog)
    console.print(f"Mock interview: {len(question_ids)} questions in {minutes} minutes")
    MockRun(factory, catalog, engine, mock_id, question_ids, minutes, keep_phi).run()
    with transaction(factory) as session:
        row = session.get(MockSession, mock_id)
        assert row is not None
        report = mock_service.finish_mock(session, mock=row).report or {}
    prompts = {q.id: q.prompt for q in catalog.questions.values()}
    render_mock_report(console, report, prompts, catalog.flags)


def register(app: typer.Typer) -> None:
    """Add mock to the practice app."""
    app.command("mock")(mock)
