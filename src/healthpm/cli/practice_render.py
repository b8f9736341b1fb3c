"""Rich renderings of practice results: feedback, history, the due queue, the mock report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from healthpm.catalog import Catalog
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.labels import flag_title, label, plain
from healthpm.practice.models import Attempt, ReviewCard
from healthpm.practice.scheduling import QueueItem, aware


def _bar(score: float) -> str:
    return "█" * round(score) + "░" * (5 - round(score))


def _prompt(catalog: Catalog, question_id: str) -> str:
    """A bank question by its words (shortened), never by its id."""
    question = catalog.questions.get(question_id)
    text = " ".join(question.prompt.split()) if question is not None else label(question_id)
    return text if len(text) <= 90 else text[:89].rsplit(" ", 1)[0] + "…"


def render_feedback(
    console: Console, feedback: Feedback, *, catalog: Catalog, show_match: bool = True
) -> None:
    """Overall, dimensions, talking points, flags with evidence and advice, explanation;
    dimensions and flags by their titles (JSON output keeps the ids)."""
    console.print(f"[bold]Overall {feedback.overall:.1f} / 5[/bold]  {_bar(feedback.overall)}")
    if not feedback.on_topic:
        where = (
            f": it reads as an answer to “{feedback.reads_as.prompt}”" if feedback.reads_as else ""
        )
        console.print(
            f"[red]off topic[/red] the answer does not address the question asked{where}",
            highlight=False,
        )
    if show_match and feedback.matched_question is not None:
        mq = feedback.matched_question
        console.print(
            f"compared with the bank question “{_prompt(catalog, mq.id)}”",
            highlight=False,
            markup=False,
        )
    elif feedback.basis == "general":
        console.print("no bank question matched: scored on the general dimensions only")
    table = Table(title="Dimensions", show_header=True)
    table.add_column("dimension")
    table.add_column("score", justify="right")
    table.add_column("")
    for name, value in feedback.dimensions.items():
        table.add_row(label(name), str(value), _bar(value))
    console.print(table)
    _render_points(console, feedback)
    for flag in feedback.flags:
        console.print(f"[red]red flag:[/red] {flag_title(catalog.flags, flag.id)}", highlight=False)
        console.print(f"  evidence: “{flag.evidence}”", highlight=False)
        console.print(f"  better: {plain(flag.advice)}", highlight=False)
    for possible in feedback.possible_flags:
        why = (
            f" (read as {flag_title(catalog.flags, possible.read_as)})" if possible.read_as else ""
        )
        console.print(
            f"possible (not counted) {flag_title(catalog.flags, possible.id)}: "
            f"“{possible.evidence}”{why}",
            highlight=False,
        )
    for line in feedback.explanation:
        console.print(f"• {plain(line)}", highlight=False)
    for warning in feedback.phi_warning or []:
        console.print(f"[yellow]possible PHI[/yellow] {warning}", highlight=False)


def _render_points(console: Console, feedback: Feedback) -> None:
    points = feedback.talking_points
    for heading, items, style in (
        ("covered", points.covered, "green"),
        ("partly", points.partly, "cyan"),
        ("missing", points.missing, "yellow"),
    ):
        if items:
            console.print(f"[{style}]{heading}[/{style}]")
            for item in items:
                console.print(f"  - {item}", highlight=False)


def _when(moment: datetime) -> str:
    return aware(moment).strftime("%Y-%m-%d %H:%M")


def render_saved(console: Console, attempt: Attempt, card: ReviewCard | None) -> None:
    """The line that says where the attempt went and when the question comes back."""
    note = f"saved as attempt {attempt.id}"
    if attempt.redacted:
        note += " (answer redacted)"
    if card is not None:
        note += f"; this question comes back {_when(card.due_at)} UTC"
    console.print(note, highlight=False)


def attempt_dict(attempt: Attempt, *, with_answer: bool = False) -> dict[str, Any]:
    """An attempt as JSON-ready data."""
    data: dict[str, Any] = {
        "id": attempt.id,
        "created_at": aware(attempt.created_at).isoformat(),
        "question_id": attempt.question_id,
        "question_text": attempt.question_text,
        "overall": attempt.overall,
        "time_taken_s": attempt.time_taken_s,
        "mock_id": attempt.mock_id,
        "redacted": attempt.redacted,
        "profile_name": attempt.profile_name,
    }
    if with_answer:
        data["answer"] = attempt.answer
        data["feedback"] = attempt.feedback
    return data


def render_history(console: Console, attempts: Sequence[Attempt], *, title: str = "") -> None:
    """A table of attempts, newest first; questions by their words, flags by their names."""
    if not attempts:
        console.print("no attempts yet; score one with `healthpm practice score`")
        return
    table = Table(title=title or "Practice history")
    for column in ("id", "when (UTC)", "question", "overall", "notes"):
        table.add_column(column, justify="right" if column in ("id", "overall") else "left")
    for a in attempts:
        notes = ", ".join(
            n
            for n in (f"mock {a.mock_id}" if a.mock_id else "", "redacted" if a.redacted else "")
            if n
        )
        words = " ".join(a.question_text.split())
        question = words[:60] + ("…" if len(words) > 60 else "")
        table.add_row(str(a.id), _when(a.created_at), question, f"{a.overall:.1f}", notes)
    console.print(table)


def render_attempt(console: Console, attempt: Attempt, *, catalog: Catalog) -> None:
    """One attempt: question, answer and its feedback."""
    console.print(f"[bold]Attempt {attempt.id}[/bold]  {_when(attempt.created_at)} UTC")
    console.print(
        f"question: {attempt.question_text}",
        highlight=False,
    )
    console.print("answer:" + (" (redacted)" if attempt.redacted else ""))
    console.print(attempt.answer, markup=False, highlight=False)
    render_feedback(console, Feedback.model_validate(attempt.feedback), catalog=catalog)


def queue_dict(item: QueueItem) -> dict[str, Any]:
    """A queue entry as JSON-ready data."""
    due = item.due_at.isoformat() if item.due_at else None
    return {
        "question_id": item.question_id,
        "category": item.category,
        "why": item.reason,
        "due_at": due,
    }


def render_queue(
    console: Console, items: Sequence[QueueItem], prompts: Mapping[str, str] | None = None
) -> None:
    """The next questions: each id whole on its own line (paste it into `practice score
    --question-id`), then the question and why it is offered."""
    if not items:
        console.print("nothing due; every question has been practised and is scheduled later")
        return
    console.print("[bold]Next questions[/]")
    for n, item in enumerate(items, 1):
        console.print(f"{n}. [bold]{item.question_id}[/]", soft_wrap=True, highlight=False)
        prompt = (prompts or {}).get(item.question_id)
        if prompt:
            console.print(f"   {' '.join(prompt.split())}", highlight=False, markup=False)
        why = item.reason + (f" (since {_when(item.due_at)})" if item.due_at else "")
        category = label(item.category)
        console.print(f"   [dim]{category} · {why}[/]", highlight=False)


def render_mock_report(
    console: Console,
    report: dict[str, Any],
    prompts: Mapping[str, str] | None = None,
    flag_names: Mapping[str, Any] | None = None,
) -> None:
    """The end-of-mock report; questions to repeat are named by their text, with the id to
    paste into `practice score --question-id`."""
    console.rule("Mock interview report")
    console.print(f"answered {report['answered']} of {report['asked']} questions")
    if report["overall"] is None:
        console.print("no answers were scored")
        return
    console.print(f"[bold]average overall {report['overall']:.2f} / 5[/bold]")
    table = Table(title="Dimensions (average)")
    table.add_column("dimension")
    table.add_column("average", justify="right")
    for name, value in report["dimensions"].items():
        mark = "  ← weakest" if name == report["weakest_dimension"] else ""
        table.add_row(label(name), f"{value:.2f}{mark}")
    console.print(table)
    repeat = report["repeat"]
    if not repeat:
        console.print("repeat: none (all at 3.5 or above)", highlight=False)
    else:
        console.print("repeat these (below 3.5):", highlight=False)
    for qid in repeat:
        prompt = (prompts or {}).get(qid)
        text = f"  - {' '.join(prompt.split())} [{qid}]" if prompt else f"  - {qid}"
        console.print(text, highlight=False, markup=False)
    flags = report["flags"]
    console.print(
        "red flags: "
        + (
            ", ".join(f"{flag_title(flag_names or {}, k)} ×{v}" for k, v in flags.items()) or "none"
        ),
        highlight=False,
    )
