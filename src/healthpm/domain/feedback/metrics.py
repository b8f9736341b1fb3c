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


#: Resampling rounds and seed of `intervals` (fixed, so a report is reproducible).
BOOTSTRAP_ROUNDS = 1000
BOOTSTRAP_SEED = 20261203
INTERVAL_METRICS = ("spearman", "kappa", "adjacent", "macro_f1")


def intervals(
    overall: Sequence[float],
    baseline: Sequence[float],
    grades: Sequence[int],
    pred_flags: Sequence[set[str]],
    true_flags: Sequence[set[str]],
    flag_ids: Sequence[str],
    groups: Sequence[str],
    rounds: int = BOOTSTRAP_ROUNDS,
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of the engine's figures, resampling whole questions.

    Answers to one question share its wording and usually its writer, so they are not
    independent; resampling questions (with all their answers) instead of answers gives the
    honest, wider interval. "spearman_over_baseline" is the engine's Spearman minus the
    baseline's on the same resample: an interval above 0 means the engine ranks better than
    the baseline on questions like these, not only on these."""
    keys = list(dict.fromkeys(groups))
    members = [[i for i, g in enumerate(groups) if g == k] for k in keys]
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    samples: dict[str, list[float]] = {m: [] for m in (*INTERVAL_METRICS, "spearman_over_baseline")}
    for _ in range(rounds):
        idx = [i for q in rng.integers(0, len(keys), len(keys)) for i in members[q]]
        if len({grades[i] for i in idx}) < 2:
            continue  # one grade only: rank agreement is undefined
        ours = report([overall[i] for i in idx], [grades[i] for i in idx],
                      [pred_flags[i] for i in idx], [true_flags[i] for i in idx],
                      flag_ids)  # fmt: skip
        for m in INTERVAL_METRICS:
            samples[m].append(getattr(ours, m))
        base = spearman([baseline[i] for i in idx], [grades[i] for i in idx])
        samples["spearman_over_baseline"].append(ours.spearman - base)
    return {
        m: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
        for m, v in samples.items()
        if v
    }
