"""`healthpm practice score-batch`: bad lines reported by number, good lines written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.domain.feedback.schema import Feedback
from healthpm.errors import InvalidInputError
from healthpm.practice.models import Attempt

from .conftest import Runner
from .fakes import FakeEngine

GOOD = [
    {"id": "a", "answer": "Tiered alerts. [score 4]", "question_id": "ehr-alerts"},
    {"id": 2, "answer": "A free-text answer.", "question": "How would you launch RPM?"},
    {"id": "c", "answer": "Call (617) 555-0142 first. [score 2]", "question_id": "baa-vendor"},
]


def _write(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def test_all_good_lines(
    run_cli: Runner, tmp_path: Path, engine: FakeEngine, session_factory: sessionmaker[Session]
) -> None:
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in GOOD])
    out = tmp_path / "out.jsonl"
    result = run_cli("practice", "score-batch", str(src), "-o", str(out))
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, "c"]
    assert rows[0]["feedback"]["overall"] == 4.0
    assert set(rows[0]["feedback"]) >= {
        "overall",
        "dimensions",
        "flags",
        "talking_points",
        "matched_question",
        "phi_warning",
    }
    assert rows[2]["feedback"]["phi_warning"] == ["phone: (###) ###-##42"]
    assert engine.batches == [3]  # one engine call for the whole (small) file
    assert run_cli.engine_loads == [1]  # type: ignore[attr-defined]
    assert "scored 3 of 3 records; 0 failed" in result.line
    with session_factory() as s:  # batch scoring stores no attempts
        assert s.scalar(select(func.count()).select_from(Attempt)) == 0


def test_bad_lines_are_reported_and_the_rest_written(run_cli: Runner, tmp_path: Path) -> None:
    lines: list[str | bytes] = [
        json.dumps(GOOD[0]),
        "{not json",
        json.dumps({"id": "x", "question_id": "ehr-alerts"}),
        json.dumps({"id": "y", "answer": "   ", "question_id": "ehr-alerts"}),
        "",
        json.dumps({"id": "z", "answer": "fine", "question_id": "no-such-q"}),
        b'{"id": "w", "answer": "caf\xe9", "question_id": "ehr-alerts"}',
        json.dumps(GOOD[2]),
        json.dumps([1, 2]),
        json.dumps({"answer": "fine", "question_id": "ehr-alerts"}),
        json.dumps({"id": "v", "answer": "fine"}),
    ]
    src = _write(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    result = run_cli("practice", "score-batch", str(src), "-o", str(out))
    assert result.code != 0
    for expected in (
        "line 2: malformed JSON",
        "line 3: missing field 'answer'",
        "line 4: the answer is empty",
        "line 6: unknown question id 'no-such-q'",
        "line 7: not UTF-8 text",
        "line 9: expected a JSON object",
        "line 10: missing field 'id'",
        "line 11: give exactly one of",
    ):
        assert expected in result.line
    assert "line 5" not in result.line  # blank lines are skipped, not errors
    assert "scored 2 of 10 records; 8 failed" in result.line
    assert "Traceback" not in result.err
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a", "c"]
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".out.jsonl.*"))


class _FailingBatchEngine(FakeEngine):
    """score_many fails on the whole batch when one answer mentions 'boom'."""

    def score(
        self, *, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        if "boom" in answer:
            raise InvalidInputError("the engine refused this answer")
        return super().score(answer=answer, question_id=question_id, question_text=question_text)


def test_engine_failure_inside_a_batch_falls_back_per_answer(
    run_cli: Runner, tmp_path: Path, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = _FailingBatchEngine(engine.catalog)
    from healthpm.cli import practice_common

    monkeypatch.setattr(practice_common, "engine", lambda _c: failing)
    rows = [GOOD[0], {"id": "b", "answer": "boom", "question_id": "ehr-alerts"}, GOOD[2]]
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in rows])
    out = tmp_path / "out.jsonl"
    result = run_cli("practice", "score-batch", str(src), "-o", str(out))
    assert result.code != 0
    assert "line 2: the engine refused this answer" in result.line
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a", "c"]


def test_missing_or_empty_input(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    missing = run_cli("practice", "score-batch", str(tmp_path / "nope.jsonl"), "-o", str(out))
    assert missing.code == 2 and "no such file" in missing.line
    empty = _write(tmp_path / "empty.jsonl", [""])
    result = run_cli("practice", "score-batch", str(empty), "-o", str(out))
    assert result.code == 2 and "no records to score" in result.line
    assert not out.exists()


def test_existing_output_is_replaced_whole(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old content that is longer than the new one\n" * 50, encoding="utf-8")
    src = _write(tmp_path / "in.jsonl", [json.dumps(GOOD[0])])
    assert run_cli("practice", "score-batch", str(src), "-o", str(out)).code == 0
    assert len(out.read_text().splitlines()) == 1
