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
    from healthpm.domain.feedback.coverage_eval import CoverageReport
    from healthpm.domain.feedback.evaluate import Split


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


def _render(splits: list[Split]) -> None:
    from rich.table import Table

    from healthpm.domain.feedback.evaluate import TARGETS

    rows = [
        ("Spearman", "spearman"),
        ("Quadratic weighted kappa", "kappa"),
        ("Exact agreement", "exact"),
        ("Adjacent agreement", "adjacent"),
        ("Flag macro-F1", "macro_f1"),
        ("Lowest flag precision", "min_precision"),
    ]
    for split in splits:
        table = Table(title=f"{split.name}: {split.test} answers scored, {split.train} in training")
        for col in ("metric", "engine", "95% interval", "embedding ridge", "target"):
            table.add_column(col)
        for label, key in rows:
            target = TARGETS.get(key)
            low_high = split.intervals.get(key)
            table.add_row(
                label,
                _mark(getattr(split.engine, key), target),
                f"{low_high[0]:.2f}-{low_high[1]:.2f}" if low_high else "",
                f"{getattr(split.baseline, key):.3f}",
                f">= {target}" if target else "",
            )
        console.print(table)
        gain = split.intervals.get("spearman_over_baseline")
        if gain:
            console.print(
                f"  Spearman over the baseline: 95% interval {gain[0]:+.2f} to {gain[1]:+.2f} "
                "(questions resampled)",
                highlight=False,
            )
        flags = " ".join(
            f"{f.flag} P{f.precision:.2f}/R{f.recall:.2f}({f.support})"
            for f in split.engine.flags
            if f.support or f.predicted
        )
        console.print(f"  flags (precision/recall, support): {flags}", highlight=False)
        console.print(
            f"  on-topic answers (grade >= 2) called off topic: {split.off_topic_called}",
            highlight=False,
        )


def eval_command(
    files: list[Path] = typer.Argument(
        ..., help="graded answers, JSON Lines (shared/evals format); two files: cross-set too"
    ),
    train_extra: list[Path] = typer.Option(
        [], "--train-extra", help="more graded answers, used for training only (repeatable)"
    ),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    reviewer: str = typer.Option(
        "none", "--reviewer", help="llm: measure the configured LLM reviewer instead"
    ),
    refit: bool = typer.Option(
        False,
        "--refit",
        help="also fit on every file (and extras) and rewrite calibration.json",
    ),
) -> None:
    """Agreement with graded answers: leave-one-question-out, and with two files each
    direction across them; every evaluation beside the embedding-ridge baseline."""
    if reviewer != "none":
        from healthpm.cli import practice_review

        if practice_review.config_for(reviewer) is not None:
            practice_review.eval_command(files[0], as_json)
            return
    from healthpm.domain.feedback.engine import FeedbackEngine
    from healthpm.domain.feedback.evaluate import evaluate, parse_records, refit_calibration
    from healthpm.embeddings import load_encoder

    if len(files) > 2:
        raise DataFileError("give one or two evaluation files (more go to --train-extra)")
    sets = [parse_records(_read(f), f.stem) for f in files]
    extra = [r for f in train_extra for r in parse_records(_read(f), f.stem)]
    engine = FeedbackEngine(catalog_or_empty(), load_encoder())
    splits = evaluate(engine, sets, extra)
    if refit:
        from healthpm.domain.feedback.rules import calibration_path

        cal = refit_calibration(engine, [r for s in sets for r in s], extra)
        Path(calibration_path()).write_text(json.dumps(cal.to_json(), indent=1) + "\n")
    if as_json:
        from healthpm.domain.feedback.evaluate import report_json

        print_json(report_json(splits, [str(f) for f in train_extra]))
        return
    _render(splits)
    if refit:
        console.print("calibration.json rewritten; bump RULES_VERSION in rules.py")


def eval_coverage_command(
    files: list[Path] = typer.Argument(
        ..., help="labelled answer x talking-point pairs, JSON Lines (one or more files)"
    ),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Precision of the engine's "covered" and "missing" talking-point claims against labels."""
    from healthpm.domain.feedback.coverage_eval import evaluate_both, parse_pairs
    from healthpm.embeddings import load_encoder

    pairs = [p for f in files for p in parse_pairs(_read(f), str(f))]
    shipped, held_out = evaluate_both(load_encoder(), pairs)
    if as_json:
        print_json({**shipped.to_json(), "cross_validated": held_out.to_json()})
        return
    _coverage_table(shipped, "shipped thresholds")
    _coverage_table(held_out, "thresholds re-chosen per fold on the other questions (honest)")


def _coverage_table(result: CoverageReport, title: str) -> None:
    from rich.table import Table

    from healthpm.domain.feedback.coverage_eval import STATES, TARGET_PRECISION

    table = Table(title=f"Talking-point coverage, {result.pairs} labelled pairs: {title}")
    for col in ("engine says", "called", "precision", "recall", "target"):
        table.add_column(col)
    data = result.to_json()
    for state in STATES:
        target = TARGET_PRECISION if state != "partly" else None
        table.add_row(
            state,
            str(data[state]["called"]),
            _mark(result.precision(state), target),
            f"{result.recall(state):.3f}",
            f">= {target}" if target else "",
        )
    console.print(table)
    console.print("confusion (label->engine): " + ", ".join(
        f"{k} {v}" for k, v in data["confusion"].items()), highlight=False)  # fmt: skip


def eval_flags_command(
    files: list[Path] = typer.Argument(
        ..., help="flag-probe answers, JSON Lines (one or more files; data/corpus/PROTOCOL.md)"
    ),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """How often each red flag fires on a planted sentence, and on answers without it."""
    from rich.table import Table

    from healthpm.domain.feedback.engine import FeedbackEngine
    from healthpm.domain.feedback.flag_probe import parse_probe, probe
    from healthpm.domain.feedback.rules import default_rules
    from healthpm.embeddings import load_encoder

    flag_ids = list(default_rules().spec.bad)  # bad records fail before the model loads
    items = [i for f in files for i in parse_probe(_read(f), str(f), flag_ids)]
    report = probe(FeedbackEngine(catalog_or_empty(), load_encoder()), items)
    if as_json:
        print_json(report.to_json())
        return
    table = Table(title=f"Red flags on {len(items)} probe answers (shipped rules)")
    for col in ("flag", "caught", "quoting the planted sentence", "by definition", "false alarms"):
        table.add_column(col)
    for name, t in [*sorted(report.flags.items()), ("all", report.total())]:
        table.add_row(
            name,
            f"{t.caught}/{t.planted}",
            str(t.evidence_right),
            str(t.by_definition),
            f"{t.false_alarms}/{t.safe}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the eval commands to the practice app."""
    app.command("eval")(eval_command)
    app.command("eval-coverage")(eval_coverage_command)
    app.command("eval-flags")(eval_flags_command)
