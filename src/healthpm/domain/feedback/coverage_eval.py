"""`practice eval-coverage`: talking-point judgements against a labelled coverage set.

Each record is one answer x one talking point labelled covered / partly / missing by someone
who did not write the matcher: {"answer_id", "question_id", "point_index", "point", "answer",
"label"}. The engine judges the same pair exactly as it does when scoring (pipeline.embed,
coverage.judge); the report gives the precision of its "covered" and "missing" claims (the
two that mislead a candidate when wrong) and the full confusion table.
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


@dataclass(frozen=True)
class Pair:
    answer_id: str
    point: str
    answer: str
    label: str


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
                    str(raw.get("answer_id", number)), str(raw["point"]), str(raw["answer"]), label
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{source}: line {number}: not a labelled pair ({exc})") from None
    if not out:
        raise DataFileError(f"{source}: no labelled pairs")
    return out


def judge_pairs(encoder: Encoder, pairs: Sequence[Pair]) -> list[str]:
    """The engine's state for every pair (each answer embedded once, on its own)."""
    by_answer: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_answer.setdefault(p.answer, []).append(i)
    states = [""] * len(pairs)
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
        verdict = coverage.judge(points, point_vectors, units, vectors)
        for i in rows:
            point = pairs[i].point
            states[i] = next(s for s in STATES if point in getattr(verdict, s))
    return states


def evaluate_coverage(encoder: Encoder, pairs: Sequence[Pair]) -> CoverageReport:
    """Confusion of labelled vs judged states."""
    judged = judge_pairs(encoder, pairs)
    confusion = Counter((p.label, s) for p, s in zip(pairs, judged, strict=True))
    return CoverageReport(len(pairs), dict(confusion))
