"""Sentence detector: per red flag, a logistic regression over one sentence's vector.

The exemplar similarity (features.py) asks "is this sentence close to one of the few wordings
we wrote down?"; a writer who puts the same anti-pattern in other words is missed. The
detector asks "which side of a learned boundary is it on?", learned from every sentence a
labeller quoted as showing a flag in the training corpus (data/corpus/evidence*.jsonl, rounds
1-6) against the sentences of answers graded without that flag and the quotes that show the
right pattern. Its probability is added to each sentence's flag score (features.flag_scores,
DETECTOR_WEIGHT), so the fitted thresholds still decide and the evidence quoted is the
sentence that scored highest.

It is fitted by `scripts/fit_detector.py` (scikit-learn, a development-time dependency) and
shipped as detector.json; applying it is one matrix product. It never sees the graded
evaluation sets (shared/evals), so the cross-set figures of docs/feedback.md stay honest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from healthpm.domain.feedback.bank import Matrix
from healthpm.errors import ContentError

DETECTOR_FILE = "detector.json"
#: L2 penalty (scikit-learn's C). C = 0.3, 1 and 3 gave the same answer-level ranking on
#: rounds 5 and 7, which no quote came from (AUC within 0.01 per flag); 1 is the middle.
PENALTY_C = 1.0


@dataclass(frozen=True)
class SentenceDetector:
    """`weights` (n_flags, dim) and `bias` (n_flags,): P(flag | sentence) = sigmoid(w.x + b)."""

    flags: tuple[str, ...]
    weights: Matrix
    bias: Matrix
    model: str = ""

    def probabilities(self, sentences: Matrix) -> dict[str, Matrix]:
        """flag -> probability per sentence (empty arrays for no sentences)."""
        if sentences.shape[0] == 0 or sentences.shape[1] != self.weights.shape[1]:
            return {f: np.zeros(sentences.shape[0], dtype=np.float32) for f in self.flags}
        logits = sentences @ self.weights.T + self.bias
        probs = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return {f: probs[:, k] for k, f in enumerate(self.flags)}

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "flags": {
                f: {
                    "bias": round(float(self.bias[k]), 6),
                    "weights": [round(float(w), 6) for w in self.weights[k]],
                }
                for k, f in enumerate(self.flags)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentenceDetector:
        flags = data["flags"]
        names = tuple(flags)
        weights = np.array([flags[f]["weights"] for f in names], dtype=np.float32)
        bias = np.array([float(flags[f]["bias"]) for f in names], dtype=np.float32)
        if weights.ndim != 2 or weights.shape[0] != len(names):
            raise ValueError("every flag needs a weight vector of the same length")
        return cls(names, weights, bias, str(data.get("model", "")))


def load_detector() -> SentenceDetector | None:
    """The shipped detector, or None when the file is absent (flags then use exemplars only)."""
    path = resources.files("healthpm.domain.feedback") / DETECTOR_FILE
    try:
        return SentenceDetector.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ContentError(f"domain/feedback/detector.json: invalid: {exc}") from None


@dataclass(frozen=True)
class Example:
    """One training sentence: its vector, the flags it shows (empty: shows none), and the
    flags it is left out for."""

    vector: Matrix
    flags: frozenset[str]
    #: flags this sentence says nothing about either way: an unquoted sentence of an answer
    #: graded with the flag may or may not show it, so it is left out of that flag's fit
    skip: frozenset[str] = frozenset()


def fit_detector(
    examples: Sequence[Example], flags: Sequence[str], model: str = "", c: float = PENALTY_C
) -> SentenceDetector:
    """One logistic regression per flag: that flag's examples against the rest.

    Classes are not re-weighted, so the output stays a probability (about one training
    sentence in 250 shows a given flag) and is added to a cosine in a roughly linear range.
    Balanced class weights were tried first: probabilities then saturate near 1 on any
    sentence about the flag's subject (safe and anti-pattern probe answers alike), and with
    them flag macro-F1 fell on all three graded evaluations (docs/feedback.md)."""
    from sklearn.linear_model import LogisticRegression  # development-time only

    x_all = np.vstack([e.vector for e in examples]).astype(np.float64)
    weights, bias = [], []
    for flag in flags:
        keep = np.array([flag not in e.skip for e in examples], dtype=bool)
        x = x_all[keep]
        y = np.array([flag in e.flags for e, k in zip(examples, keep, strict=True) if k], dtype=int)
        if y.sum() == 0 or y.sum() == len(y):
            raise ValueError(f"flag {flag!r} needs positive and negative examples")
        clf = LogisticRegression(C=c, max_iter=5000)
        clf.fit(x, y)
        weights.append(clf.coef_[0])
        bias.append(clf.intercept_[0])
    return SentenceDetector(
        tuple(flags), np.array(weights, dtype=np.float32), np.array(bias, dtype=np.float32), model
    )
