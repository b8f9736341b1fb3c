"""`healthpm practice ...` commands.

Only the scoring commands (score, score-batch, mock, eval) load the embedding model, and
only after their input has been checked; history, next, show and rate never import torch.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from healthpm.accounts.service import ensure_local_user
from healthpm.cli import (
    practice_batch,
    practice_common,
    practice_eval,
    practice_mock,
    practice_review,
)
from healthpm.cli.common import console, print_json
from healthpm.cli.practice_render import (
    attempt_dict,
    queue_dict,
    render_attempt,
    render_feedback,
    render_history,
    render_queue,
    render_saved,
)
from healthpm.cli.story import offer_stories
from healthpm.db import transaction
from healthpm.errors import InvalidInputError
from healthpm.practice import earlier, scheduling, service
from healthpm.practice.scoring import contract_dict

app = typer.Typer(
    help="Interview practice: score answers, review due questions, mock interviews.",
    no_args_is_help=True,
)
practice_eval.register(app)
practice_batch.register(app)
practice_mock.register(app)

PHI_HINT = "remove it, or pass --redact (store it with placeholders) or --keep-phi"
JSON_OPT = typer.Option(False, "--json", help="print JSON instead of tables")
PROFILE_OPT = typer.Option(
    None, "--profile", help="profile file; weak competencies come first", dir_okay=False
)


def _answer_source(answer_file: str | None, dash: str | None) -> str:
    if dash is not None and dash != "-":
        raise InvalidInputError(f"unexpected argument {dash!r}; use --answer-file PATH or -")
    sources = [s for s in (answer_file, dash) if s is not None]
    if len(sources) != 1:
        raise InvalidInputError("give the answer with --answer-file PATH, or - to read stdin")
    return sources[0]


def _phi_choice(redact: bool, keep_phi: bool) -> service.PhiChoice | None:
    if redact and keep_phi:
        raise InvalidInputError("choose one of --redact and --keep-phi")
    return "redact" if redact else "keep" if keep_phi else None


def _prepare(
    question_id: str | None,
    question: str | None,
    answer: str,
    choice: service.PhiChoice | None,
    save: bool,
) -> service.PreparedAnswer:
    if (question_id is None) == (question is None):
        raise InvalidInputError("give exactly one of --question-id ID and --question TEXT")
    try:
        return service.prepare_answer(
            practice_common.catalog(),
            answer=answer,
            question_id=question_id,
            question_text=question,
            phi_choice=choice,
            require_choice=save,
        )
    except service.PhiFoundError as exc:
        raise service.PhiFoundError(exc.warnings, hint=PHI_HINT) from None


@app.command("score")
def score(
    question_id: str | None = typer.Option(None, "--question-id", help="bank question id"),
    question: str | None = typer.Option(None, "--question", help="free-text question"),
    answer_file: str | None = typer.Option(None, "--answer-file", help="answer file, or -"),
    dash: str | None = typer.Argument(None, metavar="[-]", help="- reads the answer from stdin"),
    as_json: bool = JSON_OPT,
    redact: bool = typer.Option(False, "--redact", help="store the answer with PHI replaced"),
    keep_phi: bool = typer.Option(False, "--keep-phi", help="store the answer as written"),
    no_save: bool = typer.Option(False, "--no-save", help="score only; store nothing"),
    reviewer: str = typer.Option(
        "none", "--reviewer", help="llm: also ask the configured LLM reviewer (PHI redacted)"
    ),
) -> None:
    """Score one answer; print the feedback; store the attempt and schedule a review.

    If the answer looks like it holds PHI (names with dates, MRNs, phone numbers...), it is
    not stored until you choose --redact or --keep-phi (with --no-save it is only warned).
    """
    review_config = practice_review.config_for(reviewer)
    answer = practice_common.read_answer(_answer_source(answer_file, dash))
    choice = _phi_choice(redact, keep_phi)
    prepared = _prepare(question_id, question, answer, choice, save=not no_save)
    scored = service.score_prepared(practice_common.engine(practice_common.catalog()), prepared)
    second = practice_review.ask(review_config, prepared)
    if as_json:
        print_json(contract_dict(scored.feedback) | practice_review.contract_part(second))
    else:
        render_feedback(
            console,
            scored.feedback,
            catalog=practice_common.catalog(),
            show_match=question is not None,
        )
        practice_review.render(second)
        offer_stories(question_id)
    if no_save:
        return
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        attempt = service.store_scored(
            session,
            user_id=user.id,
            scored=scored,
            profile_name=earlier.current_profile_name(session, user_id=user.id),
        )
        attempt.reviewer = second.as_dict() if second is not None else None
        card = None
        if attempt.question_id is not None:
            card = service.get_card(session, user_id=user.id, question_id=attempt.question_id)
        if not as_json:
            render_saved(console, attempt, card)


@app.command("next")
def next_questions(
    limit: int = typer.Option(10, "--limit", help="how many questions"),
    profile: Path | None = PROFILE_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Questions to practise now: due reviews first, then new ones (weak competencies first)."""
    catalog = practice_common.catalog()
    person = practice_common.load_profile(profile, catalog)
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        person = practice_common.profile_or_stored(person, session, user, catalog)
        items = service.due_questions(
            session, catalog=catalog, user_id=user.id, limit=limit, profile=person
        )
    if as_json:
        print_json([queue_dict(item) for item in items])
    else:
        render_queue(console, items, {q.id: q.prompt for q in catalog.questions.values()})


@app.command("history")
def history(
    limit: int = typer.Option(20, "--limit", help="how many attempts"),
    as_json: bool = JSON_OPT,
) -> None:
    """Your attempts (of the current profile), newest first; then any from before profiles."""
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        name = earlier.current_profile_name(session, user_id=user.id)
        attempts = service.list_attempts(session, user_id=user.id, limit=limit, profile_name=name)
        older = earlier.earlier_attempts(session, user_id=user.id, limit=limit) if name else []
        if as_json:
            print_json([attempt_dict(a) for a in [*attempts, *older]])
            return
        render_history(console, attempts, title=f"Practice history of {name}" if name else "")
        if older:
            render_history(console, older, title="Earlier practice (before profiles)")
            console.print("these count in no profile until you move them:", highlight=False)
            console.print(
                f"  healthpm practice claim --profile {shlex.quote(name or '')}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )


@app.command("claim")
def claim(
    profile: str = typer.Option(..., "--profile", help="name of one of your profiles"),
) -> None:
    """Move every answer from before profiles to the named profile's history."""
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        moved = earlier.claim_earlier(session, user_id=user.id, profile_name=profile)
    noun = "answer" if moved == 1 else "answers"
    console.print(f"moved {moved} earlier {noun} to {profile!r}", highlight=False, markup=False)


@app.command("show")
def show(
    attempt_id: int = typer.Argument(..., help="attempt id from history"), as_json: bool = JSON_OPT
) -> None:
    """One attempt: the question, your answer and its feedback."""
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        attempt = service.get_attempt(session, user_id=user.id, attempt_id=attempt_id)
        if as_json:
            print_json(attempt_dict(attempt, with_answer=True))
        else:
            render_attempt(console, attempt, catalog=practice_common.catalog())


@app.command("rate")
def rate(
    question_id: str = typer.Argument(..., help="bank question id"),
    rating: str = typer.Argument(
        ...,
        metavar="{again,hard,good,easy}",
        help="your own rating; replaces the one from the last score",
    ),
) -> None:
    """Override the review rating of a question (replaces the rating of its last review)."""
    chosen = scheduling.parse_rating(rating)
    catalog = practice_common.catalog()
    with transaction(practice_common.session_factory()) as session:
        user = ensure_local_user(session)
        card = service.override_rating(
            session, catalog=catalog, user_id=user.id, question_id=question_id, rating=chosen
        )
        due = scheduling.aware(card.due_at).strftime("%Y-%m-%d %H:%M")
    console.print(
        f"{question_id} rated {chosen.name.lower()}; due again {due} UTC", highlight=False
    )
