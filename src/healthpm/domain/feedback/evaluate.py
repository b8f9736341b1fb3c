"""The `practice eval` computation: graded records -> three evaluations, each with a baseline.

- leave-one-question-out on all evaluation files together (every fitted piece refitted
  without the scored question; training extras on that question are left out too);
- train on the first file -> test on the second, and the reverse (other writers, other
  questions: the figures that say whether the engine generalizes).
Each is reported beside the plain embedding-ridge baseline (ridge, alpha 1, on the
whole-answer embedding) trained on exactly the same records. Extra training files
(`--train-extra`, e.g. data/corpus/answers.jsonl) join every training side, never a test side.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from healthpm.domain.feedback.calibration import Calibration
from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.fitting import Graded, apply, fit
from healthpm.domain.feedback.metrics import Report, intervals, report
from healthpm.errors import DataFileError

TARGETS = {
    "spearman": 0.85,
    "kappa": 0.80,
    "adjacent": 0.95,
    "macro_f1": 0.70,
    "min_precision": 0.80,
}
#: Ridge penalty of the whole-answer embedding baseline.
EMBEDDING_ALPHA = 1.0


@dataclass(frozen=True)
class Record:
    id: str
    question: str
    answer: str
    grade: int
    flags: frozenset[str]
    question_id: str | None = None
    source: str = ""

    @property
    def key(self) -> str:
        """Grouping key of the question (bank id, else its text)."""
        return self.question_id or self.question


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
            qid = raw.get("question_id")
            out.append(
                Record(
                    str(raw.get("id", number)),
                    str(raw["question"]),
                    str(raw["answer"]),
                    grade,
                    frozenset(raw.get("flags") or []),
                    str(qid) if qid else None,
                    source,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{source}: line {number}: not a graded record ({exc})") from None
    if not out:
        raise DataFileError(f"{source}: no graded records")
    return out


@dataclass(frozen=True)
class Split:
    """One evaluation: engine and baseline reports on the same test records."""

    name: str
    train: int
    test: int
    engine: Report
    baseline: Report
    off_topic_called: int  # test answers graded 2+ that the engine called off topic
    #: 95% intervals of the engine's figures, resampling questions (metrics.intervals)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)


class Evaluator:
    """Prepares every record once, then fits and scores any train/test split."""

    def __init__(
        self, engine: FeedbackEngine, records: Sequence[Record], extra: Sequence[Record] = ()
    ) -> None:
        self.engine = engine
        self.records = list(records) + list(extra)
        known = set(engine.index.ids)
        items = [(r.answer, r.question_id if r.question_id in known else None, r.question)
                 for r in self.records]  # fmt: skip
        prepared = engine.prepare_many(items)
        self.graded = [
            Graded(p, r.grade, r.flags, r.key, sets_thresholds=k < len(records))
            for k, (p, r) in enumerate(zip(prepared, self.records, strict=True))
        ]
        whole = [engine.encoder.encode([r.answer])[0] for r in self.records]
        self.whole = np.array(whole, dtype=float)

    def fit(self, idx: Sequence[int]) -> Calibration:
        return fit([self.graded[i] for i in idx], self.engine.bank.flag_ids)

    def run(self, name: str, train: Sequence[int], test: Sequence[int]) -> Split:
        cal = self.fit(train)
        scored = [apply(self.graded[i], cal) for i in test]
        base = self._baseline(train, test)
        truth = [set(self.records[i].flags) for i in test]
        grades = [self.records[i].grade for i in test]
        flag_ids = self.engine.bank.flag_ids
        none: list[set[str]] = [set() for _ in test]
        fired = [set(s.fired) for s in scored]
        ours = report([s.overall for s in scored], grades, fired, truth, flag_ids)
        called = sum(
            1
            for i in test
            if not self.graded[i].prepared.relevance.on_topic and self.records[i].grade >= 2
        )
        spread = intervals([s.overall for s in scored], base, grades, fired, truth, flag_ids,
                           [self.records[i].key for i in test])  # fmt: skip
        return Split(name, len(train), len(test), ours,
                     report(base, grades, none, truth, flag_ids), called, spread)  # fmt: skip

    def loqo(self, name: str, pool: Sequence[int], extra: Sequence[int]) -> Split:
        """Leave one question out over `pool`; `extra` joins every fold's training side."""
        keys = [self.records[i].key for i in range(len(self.records))]
        preds: dict[int, tuple[float, set[str], bool]] = {}
        base: dict[int, float] = {}
        for q in dict.fromkeys(keys[i] for i in pool):
            test = [i for i in pool if keys[i] == q]
            train = [i for i in list(pool) + list(extra) if keys[i] != q]
            cal = self.fit(train)
            for i, b in zip(test, self._baseline(train, test), strict=True):
                s = apply(self.graded[i], cal)
                preds[i] = (s.overall, set(s.fired), self.graded[i].prepared.relevance.on_topic)
                base[i] = b
        order = list(pool)
        grades = [self.records[i].grade for i in order]
        truth = [set(self.records[i].flags) for i in order]
        flag_ids = self.engine.bank.flag_ids
        ours = report([preds[i][0] for i in order], grades, [preds[i][1] for i in order],
                      truth, flag_ids)  # fmt: skip
        none: list[set[str]] = [set() for _ in order]
        called = sum(1 for i in order if not preds[i][2] and self.records[i].grade >= 2)
        baseline = report([base[i] for i in order], grades, none, truth, flag_ids)
        spread = intervals([preds[i][0] for i in order], [base[i] for i in order], grades,
                           [preds[i][1] for i in order], truth, flag_ids,
                           [keys[i] for i in order])  # fmt: skip
        return Split(name, len(pool) + len(extra), len(order), ours, baseline, called, spread)

    def _baseline(self, train: Sequence[int], test: Sequence[int]) -> list[float]:
        """Ridge (alpha 1) on whole-answer embeddings: the 'explains nothing' reference."""
        x, y = self.whole[list(train)], np.array([self.records[i].grade for i in train], float)
        mean = x.mean(axis=0)
        xc = x - mean
        w = np.linalg.solve(xc.T @ xc + EMBEDDING_ALPHA * np.eye(x.shape[1]), xc.T @ (y - y.mean()))
        pred = y.mean() + (self.whole[list(test)] - mean) @ w
        return [float(v) for v in np.clip(pred, 1, 5)]


def evaluate(
    engine: FeedbackEngine,
    sets: Sequence[Sequence[Record]],
    extra: Sequence[Record] = (),
) -> list[Split]:
    """Leave-one-question-out on all sets; with two sets also first->second and reverse."""
    records = [r for s in sets for r in s]
    ev = Evaluator(engine, records, extra)
    bounds, start = [], 0
    for s in sets:
        bounds.append(list(range(start, start + len(s))))
        start += len(s)
    extra_idx = list(range(start, len(ev.records)))
    names = [s[0].source if s else f"set{k}" for k, s in enumerate(sets)]
    out = [ev.loqo("leave-one-question-out (" + " + ".join(names) + ")",
                   [i for b in bounds for i in b], extra_idx)]  # fmt: skip
    if len(sets) == 2:
        a, b = bounds
        out.append(ev.run(f"train {names[0]} -> test {names[1]}", a + extra_idx, b))
        out.append(ev.run(f"train {names[1]} -> test {names[0]}", b + extra_idx, a))
    return out


def refit_calibration(
    engine: FeedbackEngine, records: Sequence[Record], extra: Sequence[Record] = ()
) -> Calibration:
    """A calibration fitted on every record (what ships in calibration.json); `extra`
    (training corpus) answers teach the regression but do not set flag thresholds."""
    ev = Evaluator(engine, records, extra)
    cal = ev.fit(range(len(ev.records)))
    cal.meta["sources"] = sorted({r.source for r in ev.records})
    return cal


def _one(r: Report) -> dict[str, Any]:
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


def report_json(splits: Sequence[Split], extra: Sequence[str] = ()) -> dict[str, Any]:
    """Machine output of `practice eval --json`."""
    return {
        "train_extra": list(extra),
        "evaluations": [
            {
                "name": s.name,
                "train": s.train,
                "test": s.test,
                "on_topic_answers_called_off_topic": s.off_topic_called,
                "engine": _one(s.engine),
                "baseline_embedding_ridge": _one(s.baseline),
                "intervals_95": {
                    k: [round(a, 4), round(b, 4)] for k, (a, b) in s.intervals.items()
                },
            }
            for s in splits
        ],
        "targets": TARGETS,
        "intervals": "95% percentile bootstrap over questions (whole questions resampled with "
        "their answers, 1,000 rounds, fixed seed)",
    }
