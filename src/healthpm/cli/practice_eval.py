"""`healthpm practice eval`: agreement of the feedback engine with graded answers."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import typer

from healthpm.cli.common import console, print_json
from healthpm.errors import ContentError, DataFileError

if TYPE_CHECKING:
    from healthpm.domain.feedback.metrics import Report


def catalog_or_empty() -> Any:
    """The shipped catalog; while content is incomplete, an empty one (generic scoring)."""
    from healthpm.catalog import get_catalog

    try:
        return get_catalog()
    except ContentError:
        return SimpleNamespace(questions={}, flags={})


def _read(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read: {exc}") from None


def _mark(value: float, target: float | None) -> str:
    if target is None:
        return f"{value:.3f}"
    return f"{value:.3f} {'ok' if value >= target else 'BELOW'}"


def _render(ours: Report, base: Report, emb: Report, n: int) -> None:
    from rich.table import Table

    from healthpm.domain.feedback.evaluate import TARGETS

    table = Table(title=f"Feedback vs human grades ({n} answers, leave-one-question-out)")
    for col in ("metric", "engine", "length baseline", "embedding ridge", "target"):
        table.add_column(col)
    rows = [
        ("Spearman", "spearman"),
        ("Quadratic weighted kappa", "kappa"),
        ("Exact agreement", "exact"),
        ("Adjacent agreement", "adjacent"),
        ("Flag macro-F1", "macro_f1"),
        ("Lowest flag precision", "min_precision"),
    ]
    for label, key in rows:
        target = TARGETS.get(key)
        table.add_row(
            label,
            _mark(getattr(ours, key), target),
            f"{getattr(base, key):.3f}",
            f"{getattr(emb, key):.3f}",
            f">= {target}" if target else "",
        )
    console.print(table)
    flags = Table(title="Red flags (engine)")
    for col in ("flag", "support", "predicted", "precision", "recall", "F1"):
        flags.add_column(col)
    for f in ours.flags:
        flags.add_row(
            f.flag,
            str(f.support),
            str(f.predicted),
            f"{f.precision:.2f}",
            f"{f.recall:.2f}",
            f"{f.f1:.2f}",
        )
    console.print(flags)


def eval_command(
    file: Path = typer.Argument(..., help="graded answers, JSON Lines (shared/evals format)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    reviewer: str = typer.Option(
        "none", "--reviewer", help="llm: measure the configured LLM reviewer instead"
    ),
    refit: bool = typer.Option(
        False, "--refit", help="also refit on all records and rewrite calibration.json"
    ),
) -> None:
    """Leave-one-question-out agreement with graded answers, beside two baselines."""
    if reviewer != "none":
        from healthpm.cli import practice_review

        if practice_review.config_for(reviewer) is not None:
            practice_review.eval_command(file, as_json)
            return
    from healthpm.domain.feedback.engine import FeedbackEngine
    from healthpm.domain.feedback.evaluate import evaluate, parse_records, refit_calibration
    from healthpm.embeddings import load_encoder

    records = parse_records(_read(file), str(file))
    engine = FeedbackEngine(catalog_or_empty(), load_encoder())
    ours, base, emb = evaluate(engine, records)
    if refit:
        from healthpm.domain.feedback.rules import calibration_path

        cal = refit_calibration(engine, records)
        Path(calibration_path()).write_text(json.dumps(cal.to_json(), indent=2) + "\n")
    if as_json:
        from healthpm.domain.feedback.evaluate import report_json

        print_json(report_json(ours, base, emb))
        return
    _render(ours, base, emb, len(records))
    if refit:
        console.print("calibration.json rewritten; bump RULES_VERSION in rules.py")


def register(app: typer.Typer) -> None:
    """Add the eval command to the practice app."""
    app.command("eval")(eval_command)
