"""The learned sentence detector: fitting, its file format, and how it enters a flag's score."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import numpy as np
import pytest

from domain.test_feedback_engine import HashEncoder
from healthpm.domain.feedback.detector import (
    Example,
    SentenceDetector,
    fit_detector,
    load_detector,
)
from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.rules import default_rules

FLAG = "unsafe-experimentation"
SHOWS = [
    "We push the new dosing rule to every clinic on Monday and watch what happens.",
    "Ship the new dosing rule to all clinics and see what the numbers say.",
    "Let's push the dosing change everywhere at once and adjust after.",
    "We'll flip the new dosing logic on for every clinic this week.",
]
CLEAN = [
    "The pharmacy team reviews every dosing rule before it reaches a clinic.",
    "We track refill rates and call volume every week.",
    "Nurses told us the intake form takes too long on mobile.",
    "The medical director signs off on the protocol first.",
    "We would interview ten patients about their refill habits.",
    "Our billing partner sends statements after the claim settles.",
]


def _examples() -> list[Example]:
    enc = HashEncoder()
    out = [Example(v, frozenset({FLAG})) for v in enc.encode(SHOWS)]
    out += [Example(v, frozenset()) for v in enc.encode(CLEAN)]
    return out


def test_fitted_detector_ranks_the_anti_pattern_sentence_first() -> None:
    detector = fit_detector(_examples(), [FLAG], c=10.0)
    probe = HashEncoder().encode(
        ["We push the dosing rule to every clinic and watch.", "Nurses review the intake form."]
    )
    p = detector.probabilities(probe)[FLAG]
    assert p[0] > 0.5 > p[1]


def test_skipped_examples_are_left_out_of_that_flag_only() -> None:
    vector = HashEncoder().encode(["We push the dosing rule to every clinic and watch."])[0]
    # The same sentence as a negative would pull the boundary; skipped, it changes nothing.
    skipped = _examples() + [Example(vector, frozenset(), frozenset({FLAG}))]
    a = fit_detector(_examples(), [FLAG], c=10.0)
    b = fit_detector(skipped, [FLAG], c=10.0)
    assert np.allclose(a.weights, b.weights, atol=1e-6)
    with pytest.raises(ValueError, match="positive and negative"):
        fit_detector([e for e in _examples() if not e.flags], [FLAG])


def test_file_round_trip_and_a_vector_of_another_model_reads_as_nothing() -> None:
    detector = fit_detector(_examples(), [FLAG], c=10.0)
    again = SentenceDetector.from_json(json.loads(json.dumps(detector.to_json())))
    probe = HashEncoder().encode(SHOWS[:1])
    assert np.allclose(
        detector.probabilities(probe)[FLAG], again.probabilities(probe)[FLAG], atol=1e-4
    )
    other_model = np.ones((2, 7), dtype=np.float32)
    assert again.probabilities(other_model)[FLAG].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError):
        ragged = {"a": {"bias": 0.0, "weights": [1.0, 2.0]}, "b": {"bias": 0, "weights": [1.0]}}
        SentenceDetector.from_json({"flags": ragged})


def test_the_shipped_detector_covers_the_sentence_flags_of_the_model() -> None:
    shipped = load_detector()
    assert shipped is not None
    assert shipped.weights.shape == (len(shipped.flags), 384)
    assert "keyword-stuffing" not in shipped.flags  # read lexically, not per sentence
    assert set(shipped.flags) <= set(default_rules().spec.bad)


def test_the_detected_sentence_raises_the_flag_and_becomes_its_evidence() -> None:
    catalog = SimpleNamespace(questions={}, flags={})
    answer = (
        "We would interview ten patients about their refill habits. "
        "Then we push the new dosing rule to every clinic and watch what happens. "
        "We track refill rates and call volume every week."
    )
    rules = dataclasses.replace(default_rules(), detector=None)
    without = FeedbackEngine(catalog, HashEncoder(), rules)
    detector = fit_detector(_examples(), [FLAG], c=10.0)
    with_it = FeedbackEngine(catalog, HashEncoder(), dataclasses.replace(rules, detector=detector))
    before = without.prepare_many([(answer, None, None)])[0].analysis
    after = with_it.prepare_many([(answer, None, None)])[0].analysis
    assert after.flags[FLAG].score > before.flags[FLAG].score
    assert after.sentences[after.flags[FLAG].evidence].startswith("Then we push")
