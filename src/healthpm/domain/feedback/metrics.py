"""Agreement metrics between predicted and human grades and flags. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr


def spearman(pred: Sequence[float], truth: Sequence[float]) -> float:
    """Spearman rank correlation (0.0 when either side is constant)."""
    if len(set(pred)) < 2 or len(set(truth)) < 2:
        return 0.0
    return float(spearmanr(pred, truth).statistic)


def to_grade(value: float) -> int:
    """Round half up to a 1-5 grade (2.5 -> 3), never below 1 or above 5."""
    return int(min(5, max(1, np.floor(value + 0.5))))


def quadratic_kappa(pred: Sequence[int], truth: Sequence[int], k: int = 5) -> float:
    """Quadratic weighted Cohen's kappa on grades 1..k."""
    obs = np.zeros((k, k))
    for p, t in zip(pred, truth, strict=True):
        obs[t - 1, p - 1] += 1
    n = obs.sum()
    if n == 0:
        return 0.0
    weights = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)]) / (k - 1) ** 2
    expected = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / n
    denom = float((weights * expected).sum())
    return 1.0 - float((weights * obs).sum()) / denom if denom else 0.0


def agreement(pred: Sequence[int], truth: Sequence[int]) -> tuple[float, float]:
    """(exact, adjacent within one grade) agreement rates."""
    diffs = [abs(p - t) for p, t in zip(pred, truth, strict=True)]
    n = max(len(diffs), 1)
    return sum(d == 0 for d in diffs) / n, sum(d <= 1 for d in diffs) / n


@dataclass(frozen=True)
class FlagStats:
    flag: str
    support: int
    predicted: int
    precision: float
    recall: float
    f1: float


def flag_stats(flag: str, pred: Sequence[set[str]], truth: Sequence[set[str]]) -> FlagStats:
    """Precision, recall and F1 of one flag (precision 1.0 when never predicted)."""
    tp = sum(flag in p and flag in t for p, t in zip(pred, truth, strict=True))
    predicted = sum(flag in p for p in pred)
    support = sum(flag in t for t in truth)
    precision = tp / predicted if predicted else (1.0 if not support else 0.0)
    recall = tp / support if support else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return FlagStats(flag, support, predicted, precision, recall, f1)


@dataclass(frozen=True)
class Report:
    spearman: float
    kappa: float
    exact: float
    adjacent: float
    flags: list[FlagStats]

    @property
    def macro_f1(self) -> float:
        scored = [f.f1 for f in self.flags if f.support]
        return float(np.mean(scored)) if scored else 0.0

    @property
    def min_precision(self) -> float:
        return min((f.precision for f in self.flags if f.support), default=1.0)


def report(
    overall: Sequence[float],
    grades: Sequence[int],
    pred_flags: Sequence[set[str]],
    true_flags: Sequence[set[str]],
    flag_ids: Sequence[str],
) -> Report:
    """All agreement figures for one set of predictions."""
    rounded = [to_grade(v) for v in overall]
    exact, adjacent = agreement(rounded, list(grades))
    return Report(
        spearman=spearman(list(overall), list(grades)),
        kappa=quadratic_kappa(rounded, list(grades)),
        exact=exact,
        adjacent=adjacent,
        flags=[flag_stats(f, pred_flags, true_flags) for f in flag_ids],
    )
