"""Fit the calibration on graded answers, and score answers with a fitted calibration.

A graded answer is a Prepared answer (pipeline.py) with its human grade and flags. `fit`
learns flag thresholds (best F1 at training precision >= 0.8), feature anchors (10th/90th
percentiles), then one ridge regression over [answer embedding, named parts] with the part
weights sign-constrained (calibration.PARTS) and the keyword-stuffing cost bounded, and
finally ordinal cut points (max QWK) on its output. Labels come only from human grades.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from healthpm.domain.feedback.calibration import (
    EMBEDDING_ALPHA,
    MAX_STUFFING_COST,
    PART_ALPHA,
    PART_NAMES,
    PARTS,
    Calibration,
    fit_anchors,
    fit_cuts,
    fit_signed_ridge,
    fit_threshold,
)
from healthpm.domain.feedback.pipeline import Prepared
from healthpm.domain.feedback.relevance import OFF_TOPIC_CAP
from healthpm.domain.feedback.scoring import Scored, fired_flags, part_values, score

UNCENTRED = ("red_flags", "keyword_stuffing")


@dataclass(frozen=True)
class Graded:
    prepared: Prepared
    grade: int
    flags: frozenset[str]
    question: str  # grouping key: bank id or question text


def _values(items: Sequence[Graded], cal: Calibration) -> list[dict[str, float]]:
    rows = []
    for g in items:
        fired, _ = fired_flags(g.prepared.analysis, cal)
        rows.append(part_values(g.prepared.analysis, cal, fired, g.prepared.relations()))
    return rows


def _embedding_rows(items: Sequence[Graded]) -> np.ndarray:
    """Whole-answer vectors as rows; an answer with no content sentence (a bare term list)
    is a zero row of the common width, so one such answer cannot drop the embedding part."""
    width = max((g.prepared.content_vector.shape[0] for g in items), default=0)
    if width <= 1:
        return np.zeros((len(items), 0))
    rows = np.zeros((len(items), width))
    for k, g in enumerate(items):
        vector = g.prepared.content_vector
        if vector.shape[0] == width:
            rows[k] = vector
    return rows


def fit(items: Sequence[Graded], flag_ids: Sequence[str]) -> Calibration:
    """Thresholds, anchors, sign-constrained ridge and cut points from graded answers."""
    thresholds = {
        f: fit_threshold(
            [g.prepared.analysis.flags[f].score for g in items], [f in g.flags for g in items]
        )
        for f in flag_ids
    }
    anchors = fit_anchors([g.prepared.analysis.raw for g in items])
    cal = Calibration(anchors, thresholds, {}, {}, 0.0)
    train = [g for g in items if g.prepared.relevance.on_topic]
    rows = _values(train, cal)
    means: dict[str, float] = {}
    for name in PART_NAMES:
        seen = [r[name] for r in rows if name in r]
        means[name] = float(np.mean(seen)) if seen else 0.0
    parts = np.array([[r.get(n, means[n]) for n in PART_NAMES] for r in rows], dtype=float)
    emb = _embedding_rows(train)
    sd = parts.std(axis=0)
    sd[sd < 1e-9] = 1.0
    x = np.hstack([emb, parts / sd])
    y = np.array([g.grade for g in train], dtype=float)
    alphas = np.array([EMBEDDING_ALPHA] * emb.shape[1] + [PART_ALPHA] * len(PART_NAMES))
    signs = [0] * emb.shape[1] + [sign for _, sign in PARTS]
    stuffing = emb.shape[1] + PART_NAMES.index("keyword_stuffing")
    w, b = fit_signed_ridge(
        x, y, alphas, signs, {stuffing: MAX_STUFFING_COST * sd[stuffing - emb.shape[1]]}
    )
    w_emb, w_parts = w[: emb.shape[1]], w[emb.shape[1] :] / sd
    weights = {n: float(v) for n, v in zip(PART_NAMES, w_parts, strict=True)}
    emb_mean = emb.mean(axis=0) if emb.shape[1] else np.zeros(0)
    typical = (
        b
        + float(emb_mean @ w_emb)
        + sum(weights[n] * means[n] for n in PART_NAMES if n not in UNCENTRED)
    )
    cal.weights, cal.means, cal.intercept = weights, means, float(typical)
    cal.embedding, cal.embedding_mean = [float(v) for v in w_emb], [float(v) for v in emb_mean]
    linear = [float(b + row @ w) for row in x]
    cal.cuts = fit_cuts(linear, [g.grade for g in train])
    cal.meta = {"answers": len(items), "questions": len({g.question for g in items})}
    return cal


def apply(g: Graded | Prepared, cal: Calibration) -> Scored:
    """Score one prepared answer with a calibration (the off-topic cap included)."""
    prepared = g.prepared if isinstance(g, Graded) else g
    return score(
        prepared.analysis,
        cal,
        prepared.content_vector,
        prepared.relations(),
        None if prepared.relevance.on_topic else OFF_TOPIC_CAP,
    )
