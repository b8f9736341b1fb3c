"""Fit the calibration on graded answers, and leave-one-question-out predictions.

A graded answer is (analysis, grade, flags, question). `fit` learns flag thresholds (best
F1, conservative ties), feature anchors (percentiles) and the ridge weights of the overall.
`leave_one_question_out` refits all of it without each question in turn and scores that
question's answers with the refit, so the figures estimate performance on new questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from healthpm.domain.feedback.calibration import (
    OVERALL_FEATURES,
    Calibration,
    fit_anchors,
    fit_cuts,
    fit_ridge,
    fit_threshold,
)
from healthpm.domain.feedback.features import Analysis
from healthpm.domain.feedback.scoring import Scored, scaled_features, score

ALPHA = 3.0
#: Fit ordinal cut points (max QWK) on top of the ridge output.
ORDINAL = True


@dataclass(frozen=True)
class Graded:
    analysis: Analysis
    grade: int
    flags: frozenset[str]
    question: str


def fit(items: Sequence[Graded], flag_ids: Sequence[str], alpha: float = ALPHA) -> Calibration:
    """Thresholds, anchors and ridge weights from graded answers."""
    thresholds = {
        f: fit_threshold([g.analysis.flags[f].score for g in items], [f in g.flags for g in items])
        for f in flag_ids
    }
    anchors = fit_anchors([g.analysis.raw for g in items])
    cal = Calibration(anchors, thresholds, {k: 0.0 for k in OVERALL_FEATURES}, 3.0, alpha)
    rows = [scaled_features(g.analysis, cal) for g in items]
    x = np.array([[r[k] for k in OVERALL_FEATURES] for r in rows], dtype=float)
    y = np.array([g.grade for g in items], dtype=float)
    cal.weights, cal.intercept = fit_ridge(x, y, OVERALL_FEATURES, alpha)
    if ORDINAL:
        cal.cuts = fit_cuts([cal.linear(r) for r in rows], [g.grade for g in items])
    cal.meta = {"answers": len(items), "questions": len({g.question for g in items})}
    return cal


def leave_one_question_out(
    items: Sequence[Graded], flag_ids: Sequence[str], alpha: float = ALPHA
) -> list[Scored]:
    """Score each answer with a calibration fitted on the other questions only."""
    out: list[Scored | None] = [None] * len(items)
    for question in dict.fromkeys(g.question for g in items):
        train = [g for g in items if g.question != question]
        cal = fit(train, flag_ids, alpha)
        for i, g in enumerate(items):
            if g.question == question:
                out[i] = score(g.analysis, cal)
    return [s for s in out if s is not None]
