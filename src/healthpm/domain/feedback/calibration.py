"""The small calibration: feature scaling anchors, flag thresholds and a ridge regression.

overall = intercept + sum_j weight_j * scaled_j, clipped to 1..5, where scaled_j is the raw
feature j mapped linearly so the dev set's 10th percentile is 0 and its 90th is 1 (anchors),
and `flag_penalty` = sum over flags of a logistic of (score - threshold). The weight of
flag_penalty and stuffing is constrained to be <= 0, so evidence of an anti-pattern can never
raise a score. Everything fitted here is refitted per held-out question by evaluate.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Features of the overall score, in order (documented in docs/feedback.md).
OVERALL_FEATURES = (
    "substance",
    "generic_share",
    "quantities",
    "stakeholders",
    "incentives",
    "structure",
    "specific",
    "good_cover",
    "log_words",
    "story",
    "flag_penalty",
)
NON_POSITIVE = ("flag_penalty", "generic_share")
FLAG_SOFTNESS = 0.04
DEFAULT_THRESHOLD = 0.8


@dataclass
class Calibration:
    """Everything fitted, serialisable to calibration.json."""

    anchors: dict[str, tuple[float, float]]
    thresholds: dict[str, float]
    weights: dict[str, float]
    intercept: float
    alpha: float = 3.0
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchors": {k: [round(a, 6), round(b, 6)] for k, (a, b) in self.anchors.items()},
            "thresholds": {k: round(v, 6) for k, v in self.thresholds.items()},
            "weights": {k: round(v, 6) for k, v in self.weights.items()},
            "intercept": round(self.intercept, 6),
            "alpha": self.alpha,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls(
            anchors={k: (float(v[0]), float(v[1])) for k, v in data["anchors"].items()},
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            weights={k: float(v) for k, v in data["weights"].items()},
            intercept=float(data["intercept"]),
            alpha=float(data.get("alpha", 3.0)),
            meta=dict(data.get("meta", {})),
        )

    def threshold(self, flag_id: str) -> float:
        return self.thresholds.get(flag_id, DEFAULT_THRESHOLD)

    def scale(self, name: str, value: float) -> float:
        """Map a raw feature to roughly 0..1 with the dev anchors (may exceed the range)."""
        lo, hi = self.anchors.get(name, (0.0, 1.0))
        return (value - lo) / (hi - lo) if hi > lo else 0.0

    def overall(self, scaled: dict[str, float]) -> float:
        value = self.intercept + sum(self.weights[k] * scaled[k] for k in self.weights)
        return float(min(5.0, max(1.0, value)))


def flag_penalty(scores: dict[str, float], thresholds: dict[str, float]) -> float:
    """Soft count of fired flags: each adds ~1 when clearly above its threshold."""
    total = 0.0
    for flag_id, score in scores.items():
        z = (score - thresholds.get(flag_id, DEFAULT_THRESHOLD)) / FLAG_SOFTNESS
        total += 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
    return total


def fit_anchors(rows: Sequence[dict[str, float]]) -> dict[str, tuple[float, float]]:
    """10th and 90th percentile of each raw feature (unsupervised; grades are not used)."""
    names = rows[0].keys() if rows else []
    anchors: dict[str, tuple[float, float]] = {}
    for name in names:
        values = np.array([r[name] for r in rows], dtype=float)
        lo, hi = np.percentile(values, [10, 90])
        anchors[name] = (float(lo), float(hi if hi > lo else lo + 1.0))
    return anchors


def f1_score(truth: Sequence[bool], pred: Sequence[bool]) -> float:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    wrong = sum(t != p for t, p in zip(truth, pred, strict=True))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def fit_threshold(scores: Sequence[float], truth: Sequence[bool], floor: float = 0.5) -> float:
    """The threshold with the best F1; ties go to the higher (more conservative) threshold.

    The threshold sits midway between the chosen score and the next lower one, so a new
    answer has to look like the flagged ones, not merely tie with the weakest of them.
    """
    values = sorted(set(scores), reverse=True)
    best, best_t = -1.0, values[0] + 1.0 if values else DEFAULT_THRESHOLD
    for t in values:
        f1 = f1_score(truth, [s >= t for s in scores])
        if f1 > best + 1e-9:
            best, best_t = f1, t
    lower = [s for s in values if s < best_t]
    return max(floor, (best_t + lower[0]) / 2 if lower else best_t)


def fit_ridge(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], alpha: float
) -> tuple[dict[str, float], float]:
    """Ridge on centred features; weights of NON_POSITIVE features clipped to <= 0 and refit."""
    fixed: dict[str, float] = {}
    active = list(range(len(names)))
    for _ in range(len(names)):
        cols = np.array(active)
        xm = x[:, cols].mean(axis=0)
        xc = x[:, cols] - xm
        w = np.linalg.solve(xc.T @ xc + alpha * np.eye(len(cols)), xc.T @ (y - y.mean()))
        bad = [i for i, wi in zip(cols, w, strict=True) if names[i] in NON_POSITIVE and wi > 0]
        if not bad:
            break
        for i in bad:
            fixed[names[i]] = 0.0
            active.remove(i)
    weights = dict(fixed)
    weights.update({names[i]: float(wi) for i, wi in zip(cols, w, strict=True)})
    intercept = float(y.mean() - float(np.dot(w, xm)))
    return {n: weights.get(n, 0.0) for n in names}, intercept
