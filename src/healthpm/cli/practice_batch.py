"""`healthpm practice score-batch`: score a JSON Lines file of answers.

Each input line is {"id": ..., "answer": "...", "question_id": "..."} or with "question"
(free text) instead of "question_id". Each output line is {"id": ..., "feedback": {...}} with
the same feedback object `practice score --json` prints. Batch scoring stores no attempts and
schedules no reviews: it serves grading and scripting, not the user's own practice. A bad line
is reported with its number and skipped; the exit code is non-zero if any line failed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from healthpm.catalog import Catalog
from healthpm.cli import practice_common
from healthpm.cli.common import err_console
from healthpm.errors import DataFileError, HealthPMError, InvalidInputError
from healthpm.practice import phi
from healthpm.practice.scoring import ScoringEngine, check_answer, contract_dict

BATCH_SIZE = 32


@dataclass(frozen=True)
class BatchItem:
    """One valid input line."""

    line: int
    id: Any
    answer: str
    question_id: str | None
    question_text: str | None


def _text_field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"field {key!r} must be a string")
    return value


def parse_line(raw: bytes, number: int, catalog: Catalog) -> BatchItem:
    """One input line checked for JSON, fields, answer length and question id."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"malformed JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise InvalidInputError("expected a JSON object")
    if record.get("id") is None:
        raise InvalidInputError("missing field 'id'")
    answer = _text_field(record, "answer")
    if answer is None:
        raise InvalidInputError("missing field 'answer'")
    question_id = _text_field(record, "question_id")
    question = _text_field(record, "question")
    if (question_id is None) == (question is None or not question.strip()):
        raise InvalidInputError("give exactly one of 'question_id' and a non-empty 'question'")
    check_answer(answer)
    if question_id is not None:
        catalog.get("questions", question_id)
    return BatchItem(number, record["id"], answer, question_id, question)


def read_items(path: Path, catalog: Catalog) -> tuple[list[BatchItem], int]:
    """Valid lines, and how many lines failed (each reported on stderr)."""
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror})") from None
    items: list[BatchItem] = []
    failed = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            items.append(parse_line(raw, number, catalog))
        except HealthPMError as exc:
            failed += 1
            report_failure(number, exc)
    return items, failed


def report_failure(number: int, exc: Exception) -> None:
    """One stderr line naming the input line and the problem."""
    err_console.print(f"line {number}: {exc}", markup=False, highlight=False)


def _chunks(items: Sequence[BatchItem], size: int) -> Iterator[Sequence[BatchItem]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def score_chunk(engine: ScoringEngine, chunk: Sequence[BatchItem]) -> list[tuple[BatchItem, Any]]:
    """(item, feedback or the error) for a chunk; one engine call unless an item fails."""
    try:
        feedbacks = engine.score_many([(i.answer, i.question_id, i.question_text) for i in chunk])
        return list(zip(chunk, feedbacks, strict=True))
    except HealthPMError:
        pass  # find the bad item(s): score one by one
    results: list[tuple[BatchItem, Any]] = []
    for item in chunk:
        try:
            results.append(
                (
                    item,
                    engine.score(
                        answer=item.answer,
                        question_id=item.question_id,
                        question_text=item.question_text,
                    ),
                )
            )
        except HealthPMError as exc:
            results.append((item, exc))
    return results


def output_line(item: BatchItem, feedback: Any) -> str:
    """{"id": ..., "feedback": {...}} with the PHI warnings filled in."""
    data = contract_dict(feedback)
    data["phi_warning"] = phi.warnings_for(item.answer) or None
    return json.dumps({"id": item.id, "feedback": data}, ensure_ascii=False)


def write_atomically(path: Path, lines: Sequence[str]) -> None:
    """Write to a temp file next to the target, then rename over it."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise InvalidInputError(f"{path}: the output folder does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _score_all(engine: ScoringEngine, items: Sequence[BatchItem]) -> tuple[list[str], int]:
    out: list[str] = []
    failed = 0
    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("scoring", total=len(items))
        for chunk in _chunks(items, BATCH_SIZE):
            for item, result in score_chunk(engine, chunk):
                if isinstance(result, HealthPMError):
                    failed += 1
                    report_failure(item.line, result)
                else:
                    out.append(output_line(item, result))
            progress.advance(task, len(chunk))
    return out, failed


def score_batch(
    input_path: Path = typer.Argument(
        ..., help="JSON Lines: id, answer, question_id or question", dir_okay=False
    ),
    output: Path = typer.Option(..., "-o", "--output", help="where to write the JSON Lines"),
) -> None:
    """Score many answers (the model loads once); bad lines are reported and skipped."""
    catalog = practice_common.catalog()
    items, failed = read_items(input_path, catalog)
    total = len(items) + failed
    if not total:
        raise DataFileError(f"{input_path}: no records to score")
    lines: list[str] = []
    if items:
        lines, score_failed = _score_all(practice_common.engine(catalog), items)
        failed += score_failed
    write_atomically(output, lines)
    err_console.print(
        f"scored {len(lines)} of {total} records; {failed} failed; wrote {output}",
        markup=False,
        highlight=False,
    )
    if failed:
        raise DataFileError(f"{failed} of {total} records failed (see the lines above)")


def register(app: typer.Typer) -> None:
    """Add score-batch to the practice app."""
    app.command("score-batch")(score_batch)
