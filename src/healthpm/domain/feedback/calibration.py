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
#: Training precision a flag threshold must reach (a false accusation costs trust).
MIN_TRAIN_PRECISION = 0.8
#: Above the highest training score: used when no threshold reaches MIN_TRAIN_PRECISION.
CONSERVATIVE_MARGIN = 0.05


@dataclass
class Calibration:
    """Everything fitted, serialisable to calibration.json."""

    anchors: dict[str, tuple[float, float]]
    thresholds: dict[str, float]
    weights: dict[str, float]
    intercept: float
    alpha: float = 3.0
    meta: dict[str, Any] = field(default_factory=dict)
    #: Ordinal cut points on the ridge output (grade k+1 starts at cuts[k-1]); empty = identity.
    cuts: list[float] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchors": {k: [round(a, 6), round(b, 6)] for k, (a, b) in self.anchors.items()},
            "thresholds": {k: round(v, 6) for k, v in self.thresholds.items()},
            "weights": {k: round(v, 6) for k, v in self.weights.items()},
            "intercept": round(self.intercept, 6),
            "alpha": self.alpha,
            "cuts": [round(c, 6) for c in self.cuts],
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
            cuts=[float(c) for c in data.get("cuts", [])],
        )

    def threshold(self, flag_id: str) -> float:
        return self.thresholds.get(flag_id, DEFAULT_THRESHOLD)

    def scale(self, name: str, value: float) -> float:
        """Map a raw feature to roughly 0..1 with the dev anchors (may exceed the range)."""
        lo, hi = self.anchors.get(name, (0.0, 1.0))
        return (value - lo) / (hi - lo) if hi > lo else 0.0

    def linear(self, scaled: dict[str, float]) -> float:
        """The ridge output before the ordinal mapping."""
        return self.intercept + sum(self.weights[k] * scaled[k] for k in self.weights)

    def overall(self, scaled: dict[str, float]) -> float:
        return float(min(5.0, max(1.0, ordinal_map(self.linear(scaled), self.cuts))))


def ordinal_map(value: float, cuts: Sequence[float]) -> float:
    """Monotone piecewise-linear map sending cut k (k=1..4) to k + 0.5, slope 1 outside.

    Rounding the result gives the grade the cut points assign; ranks never change.
    """
    if len(cuts) != 4:
        return value
    knots = [k + 1.5 for k in range(4)]
    if value <= cuts[0]:
        return knots[0] + (value - cuts[0])
    if value >= cuts[-1]:
        return knots[-1] + (value - cuts[-1])
    return float(np.interp(value, cuts, knots))


def fit_cuts(pred: Sequence[float], grades: Sequence[int], passes: int = 3) -> list[float]:
    """Cut points on the ridge output that maximise quadratic weighted kappa (coordinate
    search over midpoints of the training predictions, starting from plain rounding)."""
    from healthpm.domain.feedback.metrics import quadratic_kappa

    values = np.sort(np.asarray(pred, dtype=float))
    candidates = np.unique((values[1:] + values[:-1]) / 2) if len(values) > 1 else values
    cuts = [1.5, 2.5, 3.5, 4.5]

    def qwk(c: list[float]) -> float:
        rounded = [1 + int(np.searchsorted(c, p, side="right")) for p in pred]
        return quadratic_kappa(rounded, list(grades))

    best = qwk(cuts)
    for _ in range(passes):
        for k in range(4):
            lo = cuts[k - 1] if k else -np.inf
            hi = cuts[k + 1] if k < 3 else np.inf
            for c in candidates:
                if lo < c < hi:
                    trial = cuts[:k] + [float(c)] + cuts[k + 1 :]
                    score = qwk(trial)
                    if score > best + 1e-9:
                        best, cuts = score, trial
    return cuts


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


def _precision(truth: Sequence[bool], pred: Sequence[bool]) -> float:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    return tp / max(sum(pred), 1)


def fit_threshold(
    scores: Sequence[float],
    truth: Sequence[bool],
    floor: float = 0.5,
    min_precision: float = MIN_TRAIN_PRECISION,
) -> float:
    """The threshold with the best F1 among those whose precision is >= min_precision.

    Ties go to the higher (more conservative) threshold. The threshold sits midway between
    the chosen score and the next lower one, so a new answer has to look like the flagged
    ones, not merely tie with the weakest of them. When no threshold reaches the precision,
    the flag gets a conservative one above every score seen (it fires only on answers that
    look more like the anti-pattern than anything in the training set).
    """
    values = sorted(set(scores), reverse=True)
    if not values:
        return DEFAULT_THRESHOLD
    best, best_t = 0.0, None
    for t in values:
        pred = [s >= t for s in scores]
        f1 = f1_score(truth, pred)
        if f1 > best + 1e-9 and _precision(truth, pred) >= min_precision:
            best, best_t = f1, t
    if best_t is None:
        return max(floor, values[0] + CONSERVATIVE_MARGIN)
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
