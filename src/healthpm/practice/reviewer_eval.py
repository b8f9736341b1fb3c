"""The reviewer's agreement with graded answers, measured as the engine's is (Spearman,
quadratic weighted kappa, exact and adjacent agreement, per-flag precision and recall)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from healthpm.catalog import Catalog
from healthpm.domain.content import FLAG_IDS
from healthpm.domain.feedback.metrics import report
from healthpm.errors import DataFileError
from healthpm.practice.reviewer import Review, ReviewerConfig, review


def read_graded(text: str, origin: str) -> list[dict[str, Any]]:
    """Graded answers from JSON Lines: question, answer, grade 1-5 and flags per line."""
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise DataFileError(f"{origin}: line {number} is not JSON") from None
        if not isinstance(row, dict) or not {"question", "answer", "grade"} <= set(row):
            raise DataFileError(f"{origin}: line {number} needs question, answer and grade")
        if not isinstance(row["grade"], int) or not 1 <= row["grade"] <= 5:
            raise DataFileError(f"{origin}: line {number}: grade must be 1-5")
        records.append(row)
    if not records:
        raise DataFileError(f"{origin}: no graded answers")
    return records


def evaluate_reviewer(
    config: ReviewerConfig,
    catalog: Catalog,
    records: list[dict[str, Any]],
    *,
    ask: Callable[..., Review] = review,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Ask the reviewer about every record; agreement figures over the answered ones."""
    by_prompt = {q.prompt.strip(): q.id for q in catalog.questions.values()}
    overall: list[float] = []
    grades: list[int] = []
    pred: list[set[str]] = []
    truth: list[set[str]] = []
    notes: dict[str, int] = {}
    for i, row in enumerate(records, start=1):
        question = str(row["question"])
        qid = row.get("question_id") or by_prompt.get(question.strip())
        outcome = ask(
            config, catalog, answer=str(row["answer"]), question_id=qid, question_text=question
        )
        if progress is not None:
            progress(i, len(records))
        if outcome.opinion is None:
            key = outcome.note or "no second opinion"
            notes[key] = notes.get(key, 0) + 1
            continue
        overall.append(float(outcome.opinion["overall"]))
        grades.append(int(row["grade"]))
        pred.append({f["id"] for f in outcome.opinion["flags"]})
        truth.append(set(row.get("flags") or []))
    result: dict[str, Any] = {
        "reviewer": {"model": config.model, "url": config.endpoint},
        "records": len(records),
        "answered": len(overall),
        "no_opinion": notes,
    }
    if overall:
        rep = report(overall, grades, pred, truth, FLAG_IDS)
        result |= {
            "spearman": rep.spearman,
            "kappa": rep.kappa,
            "exact": rep.exact,
            "adjacent": rep.adjacent,
            "macro_f1": rep.macro_f1,
            "flags": [f.__dict__ for f in rep.flags],
        }
    return result
