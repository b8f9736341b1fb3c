"""The LLM reviewer as `practice score --reviewer llm` and `practice eval --reviewer llm`
use it: configuration check first (before anything is scored), then one request per answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from healthpm.cli.common import console, err_console, print_json
from healthpm.config import get_settings
from healthpm.domain.labels import label
from healthpm.errors import InvalidInputError
from healthpm.practice.reviewer import Review, ReviewerConfig, require_config, review
from healthpm.practice.service import PreparedAnswer

CHOICES = ("none", "llm")


def config_for(choice: str) -> ReviewerConfig | None:
    """The reviewer config when `--reviewer llm`, None for none; bad values are one line."""
    if choice not in CHOICES:
        raise InvalidInputError(f"--reviewer must be one of {', '.join(CHOICES)}, not {choice!r}")
    return require_config(get_settings()) if choice == "llm" else None


def ask(config: ReviewerConfig | None, prepared: PreparedAnswer) -> Review | None:
    """The reviewer's review of a prepared answer (its own redaction runs inside)."""
    if config is None:
        return None
    from healthpm.cli import practice_common

    return review(
        config,
        practice_common.catalog(),
        answer=prepared.text,
        question_id=prepared.question_id,
        question_text=prepared.question_text,
    )


def contract_part(second: Review | None) -> dict[str, Any]:
    """`reviewer` (the contract field), and when asked, the note and the request sent."""
    if second is None:
        return {"reviewer": None}
    return {
        "reviewer": second.opinion,
        "reviewer_note": second.note,
        "reviewer_request": second.sent,
    }


def render(second: Review | None) -> None:
    """The second opinion under the engine's feedback, or the one line why there is none."""
    if second is None:
        return
    sent_to = f"{second.sent.get('model')} at {second.sent.get('url')}"
    if second.opinion is None:
        err_console.print(f"{second.note} (asked {sent_to})", markup=False, highlight=False)
        return
    opinion = second.opinion
    console.print(f"\nSecond opinion ({sent_to}): {opinion['overall']:.1f}/5", highlight=False)
    for flag in opinion["flags"]:
        console.print(
            f"  red flag {label(flag['id'])}: {flag.get('evidence') or ''}",
            highlight=False,
            markup=False,
        )
    if opinion["comments"]:
        console.print(f"  {opinion['comments']}", highlight=False, markup=False)
    console.print("  (the answer was sent with PHI redacted; see --json for the exact request)")


def eval_command(file: Path, as_json: bool) -> None:
    """`practice eval FILE --reviewer llm`: the reviewer's agreement with the graded answers."""
    from healthpm.cli import practice_common
    from healthpm.practice.reviewer_eval import evaluate_reviewer, read_graded

    config = require_config(get_settings())
    records = read_graded(practice_common.read_answer(str(file)), str(file))
    result = evaluate_reviewer(config, practice_common.catalog(), records)
    if as_json:
        print_json(result)
        return
    console.print(
        f"Reviewer {config.model} at {config.endpoint}: {result['answered']} of "
        f"{result['records']} answers reviewed",
        highlight=False,
    )
    for note, count in result["no_opinion"].items():
        console.print(f"  {count} x {note}", highlight=False, markup=False)
    if result["answered"]:
        console.print(
            f"  Spearman {result['spearman']:.3f}, kappa {result['kappa']:.3f}, exact "
            f"{result['exact']:.2f}, adjacent {result['adjacent']:.2f}, flag macro-F1 "
            f"{result['macro_f1']:.2f}",
            highlight=False,
        )
        console.print("  Compare with the engine's figures from `healthpm practice eval FILE`.")
