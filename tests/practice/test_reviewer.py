"""The optional LLM reviewer against a local fake OpenAI-compatible server: what is sent (and
that it holds no PHI), replies parsed, malformed and slow replies degrading to one line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog
from healthpm.config import Settings, get_settings
from healthpm.domain.content import FLAG_IDS
from healthpm.errors import InvalidInputError
from healthpm.practice.models import Attempt
from healthpm.practice.reviewer import ReviewerConfig, parse_reply, require_config, review
from healthpm.practice.reviewer_eval import evaluate_reviewer

from .conftest import Runner
from .reviewer_server import FakeReviewer, fake_reviewer

PHI_ANSWER = (
    "I treated John Smith (DOB 03/04/1961, MRN 12345678) and called him at 617-555-0134. "
    "Then we mapped the nurse handoff workflow with the charge nurses."
)


@pytest.fixture
def server() -> Iterator[FakeReviewer]:
    with fake_reviewer() as state:
        yield state


@pytest.fixture
def configured(
    server: FakeReviewer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> FakeReviewer:
    monkeypatch.setenv("HEALTHPM_REVIEWER_URL", server.url)
    monkeypatch.setenv("HEALTHPM_REVIEWER_MODEL", "fake-llm")
    monkeypatch.setenv("HEALTHPM_REVIEWER_KEY", "sk-test")
    get_settings.cache_clear()
    return server


def config(url: str, timeout: float = 5.0) -> ReviewerConfig:
    return ReviewerConfig(url, "fake-llm", None, timeout)


def test_off_by_default_and_one_line_when_asked_for(settings: Settings) -> None:
    assert settings.reviewer_url is None
    with pytest.raises(InvalidInputError, match="HEALTHPM_REVIEWER_URL"):
        require_config(settings)


def test_what_is_sent_rubric_flags_talking_points_and_json(
    server: FakeReviewer, catalog: Catalog
) -> None:
    outcome = review(
        ReviewerConfig(server.url, "fake-llm", "sk-test", 5.0),
        catalog,
        answer="We map the alerts with nurses.",
        question_id="ehr-alerts",
        question_text=catalog.questions["ehr-alerts"].prompt,
    )
    assert server.paths == ["/v1/chat/completions"]
    body = server.requests[0]
    assert body["model"] == "fake-llm"
    system, user = (m["content"] for m in body["messages"])
    for flag in FLAG_IDS:
        assert flag in system
    assert "risk_safety" in system and "JSON" in system
    for point in catalog.questions["ehr-alerts"].talking_points:
        assert f"- {point}" in user
    assert server.headers[0]["Authorization"] == "Bearer sk-test"
    assert outcome.opinion == {
        "model": "fake-llm",
        "overall": 3.5,
        "flags": [{"id": "hipaa-checkbox", "evidence": "We encrypt, so we are compliant."}],
        "comments": "Name the BAAs and the audit logs.",
    }
    assert outcome.sent["url"] == f"{server.url}/v1/chat/completions"
    assert "sk-test" not in json.dumps(outcome.sent)


def test_no_phi_leaves_the_machine(server: FakeReviewer, catalog: Catalog) -> None:
    outcome = review(
        config(server.url),
        catalog,
        answer=PHI_ANSWER,
        question_id=None,
        question_text="How did you handle John Smith's discharge?",
    )
    raw = json.dumps(server.requests[0])
    for secret in ("John", "Smith", "12345678", "617-555-0134", "1961"):
        assert secret not in raw
    assert "[NAME]" in raw and "[MRN]" in raw
    assert outcome.sent["messages"] == server.requests[0]["messages"]


@pytest.mark.parametrize("mode", ["malformed", "out-of-range", "http500"])
def test_malformed_replies_are_no_second_opinion(mode: str, catalog: Catalog) -> None:
    with fake_reviewer(mode) as state:
        outcome = review(
            config(state.url), catalog, answer="An answer.", question_id=None, question_text="Q?"
        )
    assert outcome.opinion is None
    assert outcome.note is not None and outcome.note.startswith("no second opinion")
    assert "\n" not in outcome.note


def test_fenced_json_is_read(catalog: Catalog) -> None:
    with fake_reviewer("fenced") as state:
        outcome = review(
            config(state.url), catalog, answer="A.", question_id=None, question_text="Q?"
        )
    assert outcome.opinion is not None and outcome.opinion["overall"] == 3.5


def test_timeout_degrades_to_one_line(catalog: Catalog) -> None:
    with fake_reviewer(delay=1.5) as state:
        outcome = review(
            config(state.url, timeout=0.3),
            catalog,
            answer="A.",
            question_id=None,
            question_text="Q?",
        )
    assert outcome.opinion is None and outcome.note is not None
    assert "did not answer within 0.3 s" in outcome.note


def test_unreachable_server(catalog: Catalog) -> None:
    outcome = review(
        config("http://127.0.0.1:9"), catalog, answer="A.", question_id=None, question_text="Q?"
    )
    assert outcome.opinion is None and "could not be reached" in (outcome.note or "")


def test_unknown_flag_ids_are_dropped() -> None:
    reply = json.dumps({"overall": 2, "flags": ["made-up", "equity-blind"], "comments": "x"})
    opinion = parse_reply(reply, "m")
    assert opinion is not None and opinion["flags"] == [{"id": "equity-blind", "evidence": None}]


def test_cli_score_adds_reviewer_beside_the_engine_and_stores_it(
    run_cli: Runner, configured: FakeReviewer, session_factory: sessionmaker[Session]
) -> None:
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "--json",
        "--keep-phi",
        "--reviewer",
        "llm",
        "-",
        stdin=PHI_ANSWER,
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["overall"] == 3.0  # the engine's own score is untouched
    assert data["reviewer"]["model"] == "fake-llm" and data["reviewer"]["overall"] == 3.5
    assert "John" not in json.dumps(data["reviewer_request"])
    assert "John" not in json.dumps(configured.requests)
    with session_factory() as session:
        attempt = session.scalars(select(Attempt)).one()
        assert "John Smith" in attempt.answer  # --keep-phi kept it for storage only
        assert attempt.reviewer is not None
        assert attempt.reviewer["opinion"]["overall"] == 3.5


def test_cli_malformed_reply_is_one_line_and_exit_zero(
    run_cli: Runner, configured: FakeReviewer
) -> None:
    configured.mode = "malformed"
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "--reviewer",
        "llm",
        "--no-save",
        "-",
        stdin="We map alerts with nurses.",
    )
    assert result.code == 0
    assert "no second opinion" in result.line and "Traceback" not in result.err


def test_cli_reviewer_not_configured_fails_before_scoring(run_cli: Runner) -> None:
    result = run_cli(
        "practice",
        "score",
        "--question-id",
        "ehr-alerts",
        "--reviewer",
        "llm",
        "-",
        stdin="An answer.",
    )
    assert result.code == 2 and "HEALTHPM_REVIEWER_URL" in result.line
    assert run_cli.engine_loads == []  # type: ignore[attr-defined]


def test_eval_measures_the_reviewer_like_the_engine(server: FakeReviewer, catalog: Catalog) -> None:
    records = [
        {"question": "Q1?", "answer": "A one.", "grade": 2, "flags": ["hipaa-checkbox"]},
        {"question": "Q2?", "answer": "A two.", "grade": 4, "flags": []},
        {"question": "Q3?", "answer": "A three.", "grade": 3, "flags": []},
    ]
    replies = iter([1.5, 4.5, 3.0])

    def ask(cfg: ReviewerConfig, cat: Catalog, **kw: object):  # type: ignore[no-untyped-def]
        server.reply = {**server.reply, "overall": next(replies)}
        return review(cfg, cat, **kw)  # type: ignore[arg-type]

    result = evaluate_reviewer(config(server.url), catalog, records, ask=ask)
    assert result["answered"] == 3 and result["spearman"] == pytest.approx(1.0)
    hipaa = next(f for f in result["flags"] if f["flag"] == "hipaa-checkbox")
    assert hipaa["recall"] == 1.0 and hipaa["precision"] == pytest.approx(1 / 3)


def test_cli_eval_with_reviewer(
    run_cli: Runner, configured: FakeReviewer, tmp_path: pytest.TempPathFactory
) -> None:
    path = tmp_path / "graded.jsonl"  # type: ignore[operator]
    lines = [{"question": "Q?", "answer": f"A {i}.", "grade": 1 + i % 5} for i in range(4)]
    path.write_text("\n".join(json.dumps(x) for x in lines))
    result = run_cli("practice", "eval", str(path), "--reviewer", "llm", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["answered"] == 4 and data["reviewer"]["model"] == "fake-llm"
