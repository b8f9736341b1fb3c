"""The `practice eval` computation: graded records -> leave-one-question-out report + baseline.

Pure apart from the injected engine (which embeds). The baseline is a one-feature ridge on
answer length (log words), refitted per held-out question the same way, with no flags; a
second baseline is a ridge regression on whole-answer embeddings, fitted the same way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from healthpm.domain.feedback.calibration import Calibration
from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.fitting import Graded, fit, leave_one_question_out
from healthpm.domain.feedback.metrics import Report, report
from healthpm.errors import DataFileError

TARGETS = {
    "spearman": 0.85,
    "kappa": 0.80,
    "adjacent": 0.95,
    "macro_f1": 0.75,
    "min_precision": 0.75,
}


@dataclass(frozen=True)
class Record:
    id: str
    question: str
    answer: str
    grade: int
    flags: frozenset[str]


def parse_records(lines: Sequence[str], source: str = "input") -> list[Record]:
    """Graded records from JSON Lines; errors name the line."""
    out: list[Record] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            grade = int(raw["grade"])
            if not 1 <= grade <= 5:
                raise ValueError("grade must be 1-5")
            out.append(
                Record(
                    str(raw.get("id", number)),
                    str(raw["question"]),
                    str(raw["answer"]),
                    grade,
                    frozenset(raw.get("flags") or []),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{source}: line {number}: not a graded record ({exc})") from None
    if not out:
        raise DataFileError(f"{source}: no graded records")
    return out


def graded(engine: FeedbackEngine, records: Sequence[Record]) -> list[Graded]:
    """Analyse every answer once (one batched encoder call)."""
    analyses, _ = engine.analyse_many([(r.answer, None, None) for r in records])
    return [Graded(a, r.grade, r.flags, r.question) for a, r in zip(analyses, records, strict=True)]


def _baseline(records: Sequence[Record]) -> list[float]:
    lengths = np.array([math.log(max(len(r.answer.split()), 1)) for r in records])
    grades = np.array([r.grade for r in records], dtype=float)
    questions = [r.question for r in records]
    out = np.zeros(len(records))
    for q in dict.fromkeys(questions):
        test = np.array([x == q for x in questions])
        x, y = lengths[~test], grades[~test]
        slope = float(np.cov(x, y, bias=True)[0, 1] / max(float(np.var(x)), 1e-9))
        out[test] = np.clip(y.mean() + slope * (lengths[test] - x.mean()), 1, 5)
    return [float(v) for v in out]


#: Ridge penalty of the whole-answer embedding baseline.
EMBEDDING_ALPHA = 1.0


def _embedding_baseline(engine: FeedbackEngine, records: Sequence[Record]) -> list[float]:
    """Ridge regression on whole-answer embeddings (384 dims), refitted per held-out question:
    the "explains nothing" reference the engine has to beat."""
    x = engine.encoder.encode([r.answer for r in records]).astype(float)
    grades = np.array([r.grade for r in records], dtype=float)
    questions = [r.question for r in records]
    out = np.zeros(len(records))
    for q in dict.fromkeys(questions):
        test = np.array([x_q == q for x_q in questions])
        xt, y = x[~test], grades[~test]
        mean = xt.mean(axis=0)
        xc = xt - mean
        w = np.linalg.solve(xc.T @ xc + EMBEDDING_ALPHA * np.eye(x.shape[1]), xc.T @ (y - y.mean()))
        out[test] = np.clip(y.mean() + (x[test] - mean) @ w, 1, 5)
    return [float(v) for v in out]


def evaluate(engine: FeedbackEngine, records: Sequence[Record]) -> tuple[Report, Report, Report]:
    """(engine, length baseline, embedding-ridge baseline) reports, all leave-one-question-out."""
    items = graded(engine, records)
    flag_ids = engine.bank.flag_ids
    scored = leave_one_question_out(items, flag_ids)
    truth = [set(r.flags) for r in records]
    grades = [r.grade for r in records]
    ours = report(
        [s.overall for s in scored], grades, [set(s.fired) for s in scored], truth, flag_ids
    )
    none: list[set[str]] = [set() for _ in records]
    base = report(_baseline(records), grades, none, truth, flag_ids)
    emb = report(_embedding_baseline(engine, records), grades, none, truth, flag_ids)
    return ours, base, emb


def refit_calibration(engine: FeedbackEngine, records: Sequence[Record]) -> Calibration:
    """A calibration fitted on every record (what ships in calibration.json)."""
    return fit(graded(engine, records), engine.bank.flag_ids)


def report_json(ours: Report, base: Report, emb: Report) -> dict[str, Any]:
    """Machine output of `practice eval --json`."""

    def one(r: Report) -> dict[str, Any]:
        return {
            "spearman": round(r.spearman, 4),
            "kappa": round(r.kappa, 4),
            "exact": round(r.exact, 4),
            "adjacent": round(r.adjacent, 4),
            "macro_f1": round(r.macro_f1, 4),
            "min_precision": round(r.min_precision, 4),
            "flags": {
                f.flag: {
                    "support": f.support,
                    "predicted": f.predicted,
                    "precision": round(f.precision, 4),
                    "recall": round(f.recall, 4),
                    "f1": round(f.f1, 4),
                }
                for f in r.flags
            },
        }

    return {
        "method": "leave-one-question-out",
        "engine": one(ours),
        "baseline_length": one(base),
        "baseline_embedding_ridge": one(emb),
        "targets": TARGETS,
    }
