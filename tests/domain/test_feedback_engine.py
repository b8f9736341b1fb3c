"""Feedback engine logic with a tiny deterministic fake encoder (no model, no torch)."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import numpy as np
import pytest

from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.metrics import agreement, quadratic_kappa, spearman, to_grade
from healthpm.domain.feedback.text import parse
from healthpm.errors import InvalidInputError, NotFoundError


class HashEncoder:
    """Hashed bag of words, L2-normalised: similar wording -> similar vectors."""

    def encode(self, sentences: list[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 256), dtype=np.float32)
        for i, s in enumerate(sentences):
            for w in s.lower().split():
                w = w.strip(".,;:!?'\"()")
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def _question() -> SimpleNamespace:
    return SimpleNamespace(
        prompt="How would you make patient messaging HIPAA compliant?",
        talking_points=[
            "business associate agreements with vendors",
            "audit trail of access",
            "minimum necessary notifications",
            "breach response process",
        ],
    )


@pytest.fixture(scope="module")
def engine() -> FeedbackEngine:
    catalog = SimpleNamespace(questions={"q-msg": _question()}, flags={})
    return FeedbackEngine(catalog, HashEncoder())


GOOD = (
    "First, every vendor that stores PHI signs a business associate agreement. "
    "Second, access is limited to the care team with MFA. "
    "Third, an audit trail records who viewed each message, reviewed monthly by compliance."
)


def test_empty_answer_is_rejected(engine: FeedbackEngine) -> None:
    with pytest.raises(InvalidInputError, match="answer is empty"):
        engine.score(answer="   \n", question_id="q-msg")


def test_too_long_answer_is_rejected(engine: FeedbackEngine) -> None:
    with pytest.raises(InvalidInputError):
        engine.score(answer="word " * 5001)


def test_unknown_question_is_not_found(engine: FeedbackEngine) -> None:
    with pytest.raises(NotFoundError):
        engine.score(answer=GOOD, question_id="nope")


def test_feedback_shape_and_determinism(engine: FeedbackEngine) -> None:
    first = engine.score(answer=GOOD, question_id="q-msg")
    second = engine.score(answer=GOOD, question_id="q-msg")
    assert first.model_dump() == second.model_dump()
    assert 1.0 <= first.overall <= 5.0
    assert set(first.dimensions) == {
        "structure",
        "specificity",
        "data",
        "domain",
        "risk_safety",
        "stakeholders",
    }
    assert all(1 <= v <= 5 for v in first.dimensions.values())
    assert first.matched_question is not None and first.matched_question.id == "q-msg"
    assert first.talking_points.covered or first.talking_points.missing
    assert first.explanation and first.rules_version


def test_score_many_matches_score(engine: FeedbackEngine) -> None:
    batch = engine.score_many([(GOOD, "q-msg", None), (GOOD, None, "Unrelated estimation")])
    assert batch[0].model_dump() == engine.score(answer=GOOD, question_id="q-msg").model_dump()
    assert batch[1].matched_question is None


def test_encryption_only_fires_hipaa_checkbox(engine: FeedbackEngine) -> None:
    text = (
        "HIPAA is mostly about encryption. Because everything is encrypted at rest and in "
        "transit, the product is HIPAA compliant."
    )
    fb = engine.score(answer=text)
    hits = {f.id: f for f in fb.flags}
    assert "hipaa-checkbox" in hits
    assert hits["hipaa-checkbox"].evidence in text
    assert hits["hipaa-checkbox"].advice


def test_negated_experiment_does_not_fire(engine: FeedbackEngine) -> None:
    text = (
        "We would never A/B test alert thresholds or dosing advice on live patients. "
        "Changes to clinical logic go through the decision support committee."
    )
    assert "unsafe-experimentation" not in {f.id for f in engine.score(answer=text).flags}


def test_appended_terms_are_not_content() -> None:
    parsed = parse("We sign BAAs with vendors. HIPAA, BAA, FHIR, HL7, PHI, SaMD, CPT.")
    assert [s.text for s in parsed.content] == ["We sign BAAs with vendors."]
    assert parsed.list_terms >= 4


def test_bulleted_terms_are_not_content() -> None:
    parsed = parse("We sign BAAs with vendors.\n- HIPAA\n- FHIR\n- 510(k)\n- HL7")
    assert len(parsed.content) == 1


def test_metrics() -> None:
    assert spearman([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert quadratic_kappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert agreement([1, 3], [2, 5]) == (0.0, 0.5)
    assert to_grade(2.5) == 3 and to_grade(0.2) == 1


def test_almost_empty_answers_are_capped() -> None:
    from healthpm.domain.feedback.scoring import SHORT_ANSWER_CAPS, length_cap

    (short_limit, short_cap), (brief_limit, brief_cap) = SHORT_ANSWER_CAPS
    tiny, brief = length_cap(short_limit - 1), length_cap(brief_limit - 1)
    assert tiny is not None and tiny[0] == short_cap and "too few" in tiny[1]
    assert brief is not None and brief[0] == brief_cap
    assert length_cap(brief_limit) is None
