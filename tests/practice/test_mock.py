"""Mock interviews: balanced picks, the end report, and the interactive command on piped stdin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from healthpm.catalog import Catalog
from healthpm.cli import app, practice_mock
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError, NotFoundError
from healthpm.practice.mock import build_report, pick_questions, question_count, start_mock
from healthpm.practice.models import Attempt, MockSession

from .conftest import Runner


def test_about_one_question_per_five_minutes() -> None:
    assert [question_count(m) for m in (1, 5, 10, 14, 30)] == [1, 1, 2, 3, 6]


def test_picks_are_balanced_across_categories(catalog: Catalog) -> None:
    ids = pick_questions(catalog, count=4)
    assert len({catalog.questions[i].category for i in ids}) == 4
    assert sorted(pick_questions(catalog, count=20)) == sorted(catalog.questions)


def test_filters_by_level_and_category(catalog: Catalog) -> None:
    assert "nurse-handoff" not in pick_questions(catalog, count=6, level="senior-pm")
    assert pick_questions(catalog, count=5, category="regulatory") == ["rpm-launch", "samd-pathway"]
    with pytest.raises(InvalidInputError, match="categories: clinical-workflow"):
        pick_questions(catalog, count=2, category="estimation")
    with pytest.raises(NotFoundError):
        pick_questions(catalog, count=2, level="cto")


def test_least_practised_come_first(catalog: Catalog) -> None:
    ids = pick_questions(
        catalog, count=6, category="clinical-workflow", times_seen={"ehr-alerts": 2}
    )
    assert ids == ["nurse-handoff", "ehr-alerts"]


def test_start_mock_checks_minutes(session: Session, catalog: Catalog, user_id: int) -> None:
    with pytest.raises(InvalidInputError, match="between 1 and 180"):
        start_mock(session, catalog=catalog, user_id=user_id, minutes=0)
    mock = start_mock(session, catalog=catalog, user_id=user_id, minutes=12)
    assert len(mock.question_ids) == 2 and mock.minutes == 12


def _attempt(qid: str, overall: float, dims: dict[str, int], flags: list[str]) -> Attempt:
    feedback = {"overall": overall, "dimensions": dims, "flags": [{"id": f} for f in flags]}
    return Attempt(
        question_id=qid, question_text="q", answer="a", feedback=feedback, overall=overall
    )


def test_report_averages_and_lists_what_to_repeat() -> None:
    base = {
        "structure": 4,
        "specificity": 3,
        "data": 2,
        "domain": 4,
        "risk_safety": 3,
        "stakeholders": 4,
    }
    attempts = [
        _attempt("a", 3.0, base, ["growth-framing", "equity-blind"]),
        _attempt("b", 4.0, {**base, "data": 4, "specificity": 1}, ["growth-framing"]),
    ]
    report = build_report(attempts, ["a", "b", "c"])
    assert report["overall"] == 3.5
    assert report["dimensions"]["data"] == 3.0 and report["dimensions"]["specificity"] == 2.0
    assert report["weakest_dimension"] == "specificity"
    assert report["repeat"] == ["a"]
    assert report["flags"] == {"growth-framing": 2, "equity-blind": 1}
    assert report["answered"] == 2 and report["skipped"] == ["c"]


def test_report_with_no_answers() -> None:
    report = build_report([], ["a"])
    assert report["overall"] is None and report["answered"] == 0


def _attempts(factory: sessionmaker[Session]) -> list[Attempt]:
    with factory() as s:
        return list(s.scalars(select(Attempt).order_by(Attempt.id)))


def test_mock_with_piped_input(run_cli: Runner, session_factory: sessionmaker[Session]) -> None:
    runner = CliRunner()
    stdin = "First answer,\nover two lines. [score 3]\n.\nWe go viral. [score 4]\n.\n"
    result = runner.invoke(app, ["practice", "mock", "--minutes", "10"], input=stdin)
    assert result.exit_code == 0, result.output
    assert "Question 1/2" in result.output and "Question 2/2" in result.output
    assert "10:00 left" in result.output or "9:59 left" in result.output
    assert "answered 2 of 2 questions" in result.output
    assert "average overall 3.50 / 5" in result.output
    assert "Growth framing ×1" in result.output and "growth-framing" not in result.output
    attempts = _attempts(session_factory)
    assert [a.overall for a in attempts] == [3.0, 4.0]
    assert attempts[0].answer == "First answer,\nover two lines. [score 3]"
    assert all(a.mock_id == attempts[0].mock_id and a.time_taken_s is not None for a in attempts)
    with session_factory() as s:
        mock = s.scalar(select(MockSession))
        assert mock is not None and mock.ended_at is not None
        assert mock.report is not None and mock.report["repeat"] == [attempts[0].question_id]


def test_mock_stops_when_time_is_up(
    run_cli: Runner, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks: Iterator[float] = iter([0.0, 0.0, 0.0, 700.0, 700.0, 700.0])
    monkeypatch.setattr(practice_mock, "clock", lambda: next(ticks))
    result = run_cli(
        "practice",
        "mock",
        "--minutes",
        "10",
        stdin="A slow answer. [score 2]\n.\nNever asked.\n.\n",
    )
    assert result.code == 0, result.err
    assert "time is up" in result.out and "Question 2/2" not in result.out
    assert "answered 1 of 2 questions" in result.out
    assert len(_attempts(session_factory)) == 1


def test_mock_ends_at_end_of_input_and_skips_empty_answers(
    run_cli: Runner, session_factory: sessionmaker[Session]
) -> None:
    result = run_cli(
        "practice",
        "mock",
        "--minutes",
        "15",
        "--category",
        "clinical-workflow",
        stdin=".\nMy patient John Smith, DOB 3/4/1961, taught me this.",
    )
    assert result.code == 0, result.err
    assert "skipped" in result.out and "end of input" in result.out
    assert "answer stored redacted" in result.out
    assert "answered 1 of 2 questions" in result.out
    (attempt,) = _attempts(session_factory)
    assert attempt.redacted and "John Smith" not in attempt.answer


def test_mock_refuses_bad_options(run_cli: Runner, tmp_path: Path) -> None:
    result = run_cli("practice", "mock", "--minutes", "500")
    assert result.code == 2 and "between 1 and 180" in result.line
    result = run_cli("practice", "mock", "--minutes", "10", "--category", "estimation")
    assert result.code == 2 and "no questions" in result.line
    assert run_cli.engine_loads == []  # type: ignore[attr-defined]


def test_mock_uses_the_profile_level(run_cli: Runner, tmp_path: Path, profile: Profile) -> None:
    import yaml

    senior = profile.model_copy(update={"target_level": "senior-pm"})
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(senior.model_dump(mode="json")), encoding="utf-8")
    result = run_cli("practice", "mock", "--minutes", "30", "--profile", str(path), stdin="")
    assert result.code == 0, result.err
    assert "5 questions" in result.out  # nurse-handoff is not asked at senior-pm
