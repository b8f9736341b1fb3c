"""`practice eval-coverage`: talking-point judgements against a labelled coverage set.

Each record is one answer x one talking point labelled covered / partly / missing by someone
who did not write the matcher: {"answer_id", "question_id", "point_index", "point", "answer",
"label"}. The engine judges the same pair exactly as it does when scoring (pipeline.embed,
coverage.judge); the report gives the precision of its "covered" and "missing" claims (the
two that mislead a candidate when wrong) and the full confusion table.

`cross_validated` answers "would the thresholds hold on other questions?": the pairs are split
by question into folds; on each fold the covered / missing thresholds are re-chosen from the
other folds alone (the loosest that keep >= SELECTION_PRECISION there) and then applied. The
shipped thresholds (coverage.COVERED, coverage.MISSING) were chosen with the whole set in view,
so the plain report is in-sample and the cross-validated one is the honest estimate.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from healthpm.domain.feedback import coverage
from healthpm.domain.feedback.pipeline import Encoder, embed
from healthpm.domain.feedback.text import parse
from healthpm.errors import DataFileError

STATES = ("covered", "partly", "missing")
TARGET_PRECISION = 0.90
#: Precision a threshold must reach on the labelled pairs it is chosen from: above the target,
#: so that the target survives other questions (the shipped MISSING was chosen the same way).
SELECTION_PRECISION = 0.95


FOLDS = 5


@dataclass(frozen=True)
class Pair:
    answer_id: str
    point: str
    answer: str
    label: str
    question_id: str = ""


@dataclass(frozen=True)
class CoverageReport:
    pairs: int
    confusion: dict[tuple[str, str], int]  # (label, predicted) -> count

    def precision(self, state: str) -> float:
        called = sum(n for (_, p), n in self.confusion.items() if p == state)
        right = self.confusion.get((state, state), 0)
        return right / called if called else 0.0

    def recall(self, state: str) -> float:
        labelled = sum(n for (t, _), n in self.confusion.items() if t == state)
        right = self.confusion.get((state, state), 0)
        return right / labelled if labelled else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "target_precision": TARGET_PRECISION,
            **{
                state: {
                    "precision": round(self.precision(state), 4),
                    "recall": round(self.recall(state), 4),
                    "called": sum(n for (_, p), n in self.confusion.items() if p == state),
                    "labelled": sum(n for (t, _), n in self.confusion.items() if t == state),
                }
                for state in STATES
            },
            "confusion": {f"{t}->{p}": n for (t, p), n in sorted(self.confusion.items())},
        }


def parse_pairs(lines: Sequence[str], source: str = "input") -> list[Pair]:
    """Labelled pairs from JSON Lines; errors name the line."""
    out: list[Pair] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            label = str(raw["label"]).strip().lower()
            if label not in STATES:
                raise ValueError(f"label must be one of {', '.join(STATES)}")
            out.append(
                Pair(
                    str(raw.get("answer_id", number)),
                    str(raw["point"]),
                    str(raw["answer"]),
                    label,
                    str(raw.get("question_id") or raw.get("answer_id", number)),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{source}: line {number}: not a labelled pair ({exc})") from None
    if not out:
        raise DataFileError(f"{source}: no labelled pairs")
    return out


def match_pairs(encoder: Encoder, pairs: Sequence[Pair]) -> list[coverage.Match]:
    """The engine's match for every pair (each answer embedded once, on its own)."""
    by_answer: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_answer.setdefault(p.answer, []).append(i)
    found: dict[int, coverage.Match] = {}
    for answer, rows in by_answer.items():
        parsed = parse(answer)
        embedded = embed(parsed, encoder, with_clauses=True)
        units = [s.text for s in parsed.content] + embedded.clauses
        vectors = (
            np.vstack([embedded.sentences, embedded.clause_vectors])
            if embedded.clauses
            else embedded.sentences
        )
        points = [pairs[i].point for i in rows]
        point_vectors = np.asarray(encoder.encode(points), dtype=np.float32)
        judged = coverage.matches(points, point_vectors, units, vectors)
        found.update(zip(rows, judged, strict=True))
    return [found[i] for i in range(len(pairs))]


def evaluate_coverage(encoder: Encoder, pairs: Sequence[Pair]) -> CoverageReport:
    """Confusion of labelled vs judged states (shipped thresholds: in-sample)."""
    return _shipped(pairs, match_pairs(encoder, pairs))


def evaluate_both(encoder: Encoder, pairs: Sequence[Pair]) -> tuple[CoverageReport, CoverageReport]:
    """(shipped thresholds, cross-validated thresholds) on the same matches."""
    matched = match_pairs(encoder, pairs)
    return _shipped(pairs, matched), cross_validated(pairs, matched)


def _shipped(pairs: Sequence[Pair], matched: Sequence[coverage.Match]) -> CoverageReport:
    return _confusion(pairs, [coverage.state(m) for m in matched])


def _confusion(pairs: Sequence[Pair], judged: Sequence[str]) -> CoverageReport:
    confusion = Counter((p.label, s) for p, s in zip(pairs, judged, strict=True) if s)
    return CoverageReport(sum(confusion.values()), dict(confusion))


def _covered_threshold(scores: Sequence[float], labels: Sequence[str]) -> float:
    """The lowest threshold whose "covered" claims keep SELECTION_PRECISION (inf: none)."""
    best = float("inf")
    for t in sorted(set(scores), reverse=True):
        claimed = [lab for s, lab in zip(scores, labels, strict=True) if s >= t]
        if sum(lab == "covered" for lab in claimed) / len(claimed) < SELECTION_PRECISION:
            break
        best = t
    return best


def _missing_threshold(scores: Sequence[float], labels: Sequence[str]) -> float:
    """The highest threshold whose "missing" claims keep SELECTION_PRECISION (-inf: none)."""
    best = float("-inf")
    for t in sorted(set(scores)):
        claimed = [lab for s, lab in zip(scores, labels, strict=True) if s <= t]
        if sum(lab == "missing" for lab in claimed) / len(claimed) < SELECTION_PRECISION:
            break
        best = float(np.nextafter(t, np.inf))  # "missing" means any < threshold
    return best


def cross_validated(
    pairs: Sequence[Pair], matched: Sequence[coverage.Match], folds: int = FOLDS
) -> CoverageReport:
    """Out-of-fold confusion: each fold's thresholds are chosen on the other questions only."""
    questions = sorted({p.question_id for p in pairs})
    fold_of = {q: k % folds for k, q in enumerate(questions)}
    judged = [""] * len(pairs)
    for fold in range(folds):
        train = [i for i, p in enumerate(pairs) if fold_of[p.question_id] != fold]
        labels = [pairs[i].label for i in train]
        if not train:
            continue
        covered = _covered_threshold([matched[i].agreeing for i in train], labels)
        missing = _missing_threshold([matched[i].any for i in train], labels)
        for i, p in enumerate(pairs):
            if fold_of[p.question_id] == fold:
                judged[i] = coverage.state(matched[i], covered, missing)
    return _confusion(pairs, judged)
