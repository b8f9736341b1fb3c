"""`healthpm practice score/history/show/rate/next` through the real CLI error boundary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.domain.profile import Profile
from healthpm.practice.models import Attempt, ReviewCard

from .conftest import Runner

CONTRACT_KEYS = {
    "overall",
    "reviewer",
    "on_topic",
    "reads_as",
    "basis",
    "contributions",
    "possible_flags",
    "dimensions",
    "flags",
    "talking_points",
    "matched_question",
    "explanation",
    "phi_warning",
    "rules_version",
}


def _answer(tmp_path: Path, text: str | bytes, name: str = "answer.txt") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _stored(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(Attempt)) or 0)


def test_score_json_prints_the_contract_and_stores_the_attempt(
    run_cli: Runner, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = _answer(tmp_path, "We will go viral. [score 2.5]")
    result = run_cli(
        "practice", "score", "--question-id", "ehr-alerts", "--answer-file", path, "--json"
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == CONTRACT_KEYS
    assert data["overall"] == 2.5
    flag = data["flags"][0]
    assert len(data["flags"]) == 1 and flag["id"] == "growth-framing"
    assert flag["evidence"] == "We will go viral." and flag["advice"] == "Aim at outcomes."
    assert _stored(session_factory) == 1
    with session_factory() as s:
        card = s.scalar(select(ReviewCard))
        assert card is not None and card.question_id == "ehr-alerts" and card.last_rating == 2


def test_score_reads_stdin_and_renders_tables(run_cli: Runner) -> None:
    result = run_cli(
        "practice",
        "score",
        "--question",
        "How do you cut EHR alerts?",
        "-",
        stdin="Tiered alerts with nurses. [score 4.2]",
    )
    assert result.code == 0, result.err
    assert "Overall 4.2 / 5" in result.out
    assert "compared with the bank question “Prompt for ehr-alerts?”" in result.out
    assert "Risk & safety" in result.out and "missing" in result.out
    assert "saved as attempt 1" in result.out


def test_no_save_stores_nothing(
    run_cli: Runner, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = _answer(tmp_path, "Call me at (617) 555-0142. [score 3]")
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "--answer-file",
        path,
        "--json",
        "--no-save",
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["phi_warning"] == ["phone: (###) ###-##42"]
    assert _stored(session_factory) == 0


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("", (), "the answer is empty"),
        ("  \n\t ", (), "the answer is empty"),
        ("word " * 5001, (), "5,001 words; the limit is 5,000"),
        (b"caf\xe9 answer", (), "not UTF-8 text"),
        ("fine answer", ("--question-id", "no-such-q"), "unknown question id 'no-such-q'"),
        ("fine answer", ("--question-id", "ehr-alerts", "--question", "x"), "exactly one of"),
        ("fine answer", ("--redact", "--keep-phi"), "choose one of --redact and --keep-phi"),
        ("John Smith, DOB 3/4/1961, was my patient.", (), "--redact"),
    ],
)
def test_bad_input_is_one_line_nonzero_and_stores_nothing(
    run_cli: Runner,
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    content: str | bytes,
    args: tuple[str, ...],
    message: str,
) -> None:
    path = _answer(tmp_path, content)
    if not any(a.startswith("--question") for a in args):
        args = ("--question-id", "ehr-alerts", *args)
    result = run_cli("practice", "score", *args, "--answer-file", path)
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("error: ") == 1
    assert message in result.line
    assert "Traceback" not in result.err
    assert _stored(session_factory) == 0
    assert run_cli.engine_loads == []  # type: ignore[attr-defined]


def test_missing_answer_file_and_missing_source(run_cli: Runner, tmp_path: Path) -> None:
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "--answer-file",
        str(tmp_path / "nope.txt"),
    )
    assert result.code == 2 and "no such answer file" in result.line
    result = run_cli("practice", "score", "--question-id", "ehr-alerts")
    assert result.code == 2 and "--answer-file PATH, or -" in result.line


def test_redact_flag_stores_the_redacted_answer(
    run_cli: Runner, session_factory: sessionmaker[Session]
) -> None:
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "-",
        "--redact",
        stdin="Mrs. Alvarez admitted 02/11/2024 taught me this.",
    )
    assert result.code == 0, result.err
    assert "possible PHI" in result.out and "answer redacted" in result.out
    with session_factory() as s:
        attempt = s.scalar(select(Attempt))
        assert attempt is not None and attempt.redacted
        assert attempt.answer == "[NAME] admitted [DATE] taught me this."


def test_history_show_and_rate(run_cli: Runner) -> None:
    for score in ("2.5", "4.5"):
        run_cli(
            "practice", "score", "--question-id", "baa-vendor", "-", stdin=f"answer [score {score}]"
        )
    history = json.loads(run_cli("practice", "history", "--json").out)
    assert [h["overall"] for h in history] == [4.5, 2.5]
    assert run_cli("practice", "history", "--limit", "1").out.count("baa-vendor") == 1
    shown = json.loads(run_cli("practice", "show", str(history[0]["id"]), "--json").out)
    assert shown["answer"] == "answer [score 4.5]" and shown["feedback"]["overall"] == 4.5
    assert "Attempt" in run_cli("practice", "show", str(history[0]["id"])).out
    missing = run_cli("practice", "show", "99")
    assert missing.code == 2 and "no attempt 99" in missing.line
    rated = run_cli("practice", "rate", "baa-vendor", "hard")
    assert rated.code == 0 and "baa-vendor rated hard; due again" in rated.out
    bad = run_cli("practice", "rate", "baa-vendor", "superb")
    assert bad.code == 2 and "use one of: again, hard, good, easy" in bad.line
    unknown = run_cli("practice", "rate", "nope", "good")
    assert unknown.code == 2 and "unknown question id" in unknown.line


def test_empty_history(run_cli: Runner) -> None:
    assert "no attempts yet" in run_cli("practice", "history").out
    assert json.loads(run_cli("practice", "history", "--json").out) == []


def test_next_lists_weak_competency_questions_first_with_a_profile(
    run_cli: Runner, tmp_path: Path, profile: Profile
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile.model_dump(mode="json")), encoding="utf-8")
    result = run_cli("practice", "next", "--limit", "3", "--profile", str(path), "--json")
    assert result.code == 0, result.err
    items = json.loads(result.out)
    assert [i["question_id"] for i in items] == ["ehr-alerts", "nurse-handoff", "outcome-metric"]
    table = run_cli("practice", "next", "--limit", "2", "--profile", str(path)).out
    assert "below your target's bar" in table and "ehr-alerts" in table
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [", encoding="utf-8")
    result = run_cli("practice", "next", "--profile", str(broken))
    assert result.code == 2 and "not valid YAML" in result.line


def test_eval_flags_rejects_a_bad_probe_file_before_loading_the_model(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import healthpm.embeddings

    def no_model() -> None:
        raise AssertionError("the model was loaded for a bad probe file")

    monkeypatch.setattr(healthpm.embeddings, "load_encoder", no_model)
    path = tmp_path / "probe.jsonl"
    path.write_text('{"id": "x", "flag": "no-such-flag", "kind": "anti"}\n', encoding="utf-8")
    result = run_cli("practice", "eval-flags", str(path))
    assert result.code == 2
    assert "probe.jsonl:1: 'question' must be a non-empty string" in result.line
