"""`healthpm story ...`: the story bank.

add and edit tag and score (they load the embedding model, after the input and the PHI
guard passed); list, show, rm and gaps never import it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from healthpm.catalog import Catalog
from healthpm.cli import practice_common
from healthpm.cli.common import console, print_json
from healthpm.cli.common_store import local_session
from healthpm.domain.stories.star import PARTS, StoryText, parse_story
from healthpm.errors import InvalidInputError
from healthpm.practice.service import PhiChoice, PhiFoundError

app = typer.Typer(
    help="Story bank: STAR stories tagged with the competencies they prove.",
    no_args_is_help=True,
)

JSON_OPT = typer.Option(False, "--json", help="print JSON instead of text")
PHI_HINT = "remove it, or pass --redact (store it with placeholders) or --keep-phi"


def tagger(catalog: Catalog) -> Any:
    """The story tagger over the sentence encoder (loads the model; tests replace this)."""
    from healthpm.domain.stories.tagging import StoryTagger
    from healthpm.embeddings import load_encoder

    return StoryTagger(catalog, load_encoder())


def _read(path: Path) -> str:
    return practice_common.read_answer(str(path)).replace("\r\n", "\n")


def _choice(redact: bool, keep_phi: bool) -> PhiChoice | None:
    if redact and keep_phi:
        raise InvalidInputError("choose one of --redact and --keep-phi")
    return "redact" if redact else "keep" if keep_phi else None


def _guard(story: StoryText, choice: PhiChoice | None) -> tuple[StoryText, bool]:
    from healthpm.stories.service import guard_phi

    try:
        return guard_phi(story, phi_choice=choice)
    except PhiFoundError as exc:
        raise PhiFoundError(exc.warnings, hint=PHI_HINT) from None


def _check_background(story: StoryText, background: str | None, catalog: Catalog) -> StoryText:
    chosen = background or story.background
    if chosen is not None and chosen not in catalog.backgrounds:
        known = ", ".join(catalog.backgrounds)
        raise InvalidInputError(f"unknown background {chosen!r}; one of: {known}")
    return replace(story, background=chosen)


def _analyse(story: StoryText, catalog: Catalog) -> Any:
    from healthpm.stories.service import analyse

    if not story.full_text().strip():
        raise InvalidInputError("the story has no text in any of its parts")
    engine = practice_common.engine(catalog)
    return analyse(story, tagger=tagger(catalog), engine=engine, catalog=catalog)


def _render(data: dict[str, Any]) -> None:
    score = data["score"]
    console.print(
        f"[bold]#{data['id']} {data['title']}[/bold]  score {score:.1f}/5", highlight=False
    )
    for part in PARTS:
        if part in data:
            text = data[part] or "[missing]"
            console.print(f"  [bold]{part.title()}[/bold]: {text}", highlight=False)
    if data["missing"]:
        console.print(f"  Missing parts: {', '.join(data['missing'])}", highlight=False)
    for ev in data.get("evidence", []):
        console.print(
            f"  proves [cyan]{ev['name']}[/cyan] ({ev['part']}): “{ev['sentence']}” "
            f"— close to: {ev['because']}",
            highlight=False,
        )
    for tr in data.get("translations", []):
        console.print(
            f"  in product words ({tr['competency']}): {tr['product_words']}", highlight=False
        )
    for q in data.get("question_matches", []):
        console.print(f"  answers {q['id']}: {q['prompt']}", highlight=False)
    for check in data.get("checks", []):
        mark = "ok " if check["ok"] else "fix"
        console.print(f"  [{mark}] {check['line']}", highlight=False, markup=False)


@app.command("add")
def add(
    file: Path = typer.Argument(..., help="Markdown or YAML with the STAR parts, or free text"),
    title: str | None = typer.Option(None, "--title", help="title (default: from the file)"),
    background: str | None = typer.Option(None, "--background", help="background id"),
    redact: bool = typer.Option(False, "--redact", help="store with PHI replaced"),
    keep_phi: bool = typer.Option(False, "--keep-phi", help="store as written"),
    as_json: bool = JSON_OPT,
) -> None:
    """Add a story: split into STAR parts, PHI-checked, tagged, scored and stored."""
    from healthpm.stories import service

    catalog = practice_common.catalog()
    story = parse_story(_read(file), name=file.name, title=title)
    story = _check_background(story, background, catalog)
    story, redacted = _guard(story, _choice(redact, keep_phi))
    analysis = _analyse(story, catalog)
    with local_session(practice_common.session_factory()) as (session, user):
        row = service.add_story(
            session, user_id=user.id, story=story, analysis=analysis, redacted=redacted
        )
        data = service.story_dict(row, full=True)
    print_json(data) if as_json else _render(data)


@app.command("list")
def list_cmd(
    question: str | None = typer.Option(None, "--question", help="only stories answering it"),
    as_json: bool = JSON_OPT,
) -> None:
    """Your stories, newest first."""
    from healthpm.stories import service

    with local_session(practice_common.session_factory()) as (session, user):
        rows = [
            service.story_dict(r)
            for r in service.list_stories(session, user_id=user.id, question_id=question)
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No stories yet: add one with `healthpm story add FILE`.")
    for r in rows:
        comps = ", ".join(r["competencies"]) or "no competency yet"
        console.print(f"#{r['id']} {r['title']} ({r['score']:.1f}/5): {comps}", highlight=False)


@app.command("show")
def show(story_id: int = typer.Argument(..., help="story id"), as_json: bool = JSON_OPT) -> None:
    """One story: its parts, what each sentence proves, the questions it answers."""
    from healthpm.stories import service

    with local_session(practice_common.session_factory()) as (session, user):
        data = service.story_dict(
            service.get_story(session, user_id=user.id, story_id=story_id), full=True
        )
    print_json(data) if as_json else _render(data)


@app.command("edit")
def edit(
    story_id: int = typer.Argument(..., help="story id"),
    file: Path | None = typer.Option(None, "--file", help="replace the story from this file"),
    title: str | None = typer.Option(None, "--title"),
    situation: str | None = typer.Option(None, "--situation"),
    task: str | None = typer.Option(None, "--task"),
    action: str | None = typer.Option(None, "--action"),
    result: str | None = typer.Option(None, "--result"),
    redact: bool = typer.Option(False, "--redact", help="store with PHI replaced"),
    keep_phi: bool = typer.Option(False, "--keep-phi", help="store as written"),
    as_json: bool = JSON_OPT,
) -> None:
    """Change a story's parts (from a file or part by part); it is tagged and scored again."""
    from healthpm.stories import service

    catalog = practice_common.catalog()
    changes = {"situation": situation, "task": task, "action": action, "result": result}
    given = {k: v for k, v in changes.items() if v is not None}
    if file is None and not given and title is None:
        raise InvalidInputError("nothing to change: give --file or a part such as --result TEXT")
    factory = practice_common.session_factory()
    with local_session(factory) as (session, user):
        current = service.story_text(service.get_story(session, user_id=user.id, story_id=story_id))
    story = parse_story(_read(file), name=file.name) if file is not None else current
    story = StoryText.of(
        title or story.title,
        {p: given.get(p, story.part(p)) for p in PARTS},
        background=story.background or current.background,
    )
    story, redacted = _guard(story, _choice(redact, keep_phi))
    analysis = _analyse(story, catalog)
    with local_session(factory) as (session, user):
        row = service.get_story(session, user_id=user.id, story_id=story_id)
        service.update_story(session, row=row, story=story, analysis=analysis, redacted=redacted)
        data = service.story_dict(row, full=True)
    print_json(data) if as_json else _render(data)


@app.command("rm")
def remove(story_id: int = typer.Argument(..., help="story id")) -> None:
    """Delete a story."""
    from healthpm.stories import service

    with local_session(practice_common.session_factory()) as (session, user):
        service.delete_story(session, user_id=user.id, story_id=story_id)
    console.print(f"story {story_id} deleted")


@app.command("gaps")
def gaps(
    profile: Path | None = typer.Option(None, "--profile", help="profile file (default: saved)"),
    add_to_plan: bool = typer.Option(False, "--add-to-plan", help="add a task per gap"),
    as_json: bool = JSON_OPT,
) -> None:
    """Competencies your target level expects that no story proves yet."""
    from healthpm.navigator.extra_tasks import GapTask, add_gap_tasks
    from healthpm.stories import service

    catalog = practice_common.catalog()
    person = practice_common.load_profile(profile, catalog)
    with local_session(practice_common.session_factory()) as (session, user):
        person = practice_common.profile_or_stored(person, session, user, catalog)
        if person is None:
            raise InvalidInputError(
                "no profile: pass --profile FILE or save one with `healthpm plan`"
            )
        found, proven = service.gaps_for(
            session, user_id=user.id, catalog=catalog, level=person.target_level
        )
        added: list[dict[str, Any]] = []
        if add_to_plan:
            tasks = [
                GapTask(g.competency, f"Story to write ({g.name}): {g.suggestion}") for g in found
            ]
            added = add_gap_tasks(session, user=user, source="story-gaps", gaps=tasks)
    data = {
        "profile": person.name,
        "target": person.target_level,
        "proven": proven,
        "gaps": [g.__dict__ for g in found],
        "added_to_plan": [t["key"] for t in added],
    }
    if as_json:
        print_json(data)
        return
    console.print(f"Target {person.target_level}: {len(proven)} competencies proven by stories.")
    for g in found:
        must = " (must-have)" if g.must_have else ""
        console.print(f"  {g.name}{must}, expected {g.expected}/4: e.g. {g.suggestion}")
    if add_to_plan:
        console.print(f"{len(added)} task(s) added to your plan.")


def offer_stories(question_id: str | None) -> None:
    """After practising a behavioral or career-transition question: the stories that answer it."""
    from healthpm.domain.stories.tagging import QUESTION_CATEGORIES
    from healthpm.stories import service

    catalog = practice_common.catalog()
    question = catalog.questions.get(question_id) if question_id else None
    if question is None or question.category not in QUESTION_CATEGORIES:
        return
    with local_session(practice_common.session_factory()) as (session, user):
        rows = service.list_stories(session, user_id=user.id, question_id=question.id)
        lines = [f"  #{r.id} {r.title}" for r in rows]
    if lines:
        console.print("Your stories for this question (`healthpm story show ID`):")
        for line in lines:
            console.print(line, highlight=False, markup=False)
