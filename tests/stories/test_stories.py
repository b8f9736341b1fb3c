"""The story bank: STAR parsing, tagging explained by sentence, questions, PHI guard, CLI
add/list/show/edit/rm, gaps for a target level and gaps as plan tasks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.domain.profile import Profile
from healthpm.domain.stories.gaps import story_gaps
from healthpm.domain.stories.star import parse_story
from healthpm.domain.stories.tagging import StoryTagger
from healthpm.errors import InvalidInputError
from healthpm.navigator.profile_io import write_profile
from healthpm.navigator.service import current_plan, make_plan
from healthpm.stories.models import Story
from practice.conftest import Runner

NURSE_STORY = "\n".join(
    [
        "# Sepsis alerts on the ICU",
        "## Situation",
        "As charge nurse on a 28-bed ICU I coordinated with physicians, pharmacy and families "
        "every shift, and our sepsis alerts fired so often that nurses ignored them.",
        "## Task",
        "My goal was to cut false alarms without missing a real sepsis case.",
        "## Action",
        "I led unit super-user training for the EHR go-live of a redesigned screening "
        "flowsheet, and filed and reviewed incident reports with the quality team in a "
        "root-cause analysis.",
        "## Result",
        "Alert overrides fell from 85% to 40% within three months and no sepsis case was missed.",
    ]
)

FREE_TEXT = (
    "Our clinic lost a third of patients between referral and first visit. "
    "I was asked to find out why. I interviewed twelve patients and mapped the referral "
    "workflow with the front desk."
)


def nurse_profile(target: str = "product-manager") -> Profile:
    return Profile(
        name="Dana",
        background="nurse",
        years_experience=9,
        target_level=target,
        hours_per_week=6,
        start_date=date(2027, 1, 4),
        ratings={"clinical-workflow": 4},
    )


def test_markdown_yaml_and_free_text_parts() -> None:
    md = parse_story(NURSE_STORY, name="s.md")
    assert md.title == "Sepsis alerts on the ICU" and md.missing == []
    yml = parse_story("title: T\nsituation: S.\naction: I led it.\n", name="s.yaml")
    assert yml.missing == ["task", "result"]
    free = parse_story(FREE_TEXT)
    assert free.split_from_free_text and free.task.startswith("I was asked")
    assert "interviewed" in free.action and free.missing == ["result"]


def test_bad_story_files_are_one_line_errors() -> None:
    with pytest.raises(InvalidInputError, match="unknown story field"):
        parse_story("title: T\nlesson: x\n", name="s.yaml")
    with pytest.raises(InvalidInputError, match="empty"):
        parse_story("  ")


def test_clinical_story_is_tagged_with_product_competencies(
    tagger: StoryTagger, real_catalog: Catalog
) -> None:
    proofs, questions, translations = tagger.tag(parse_story(NURSE_STORY))
    found = {p.competency: p for p in proofs}
    assert {"change-management", "stakeholder-alignment"} <= set(found)
    assert "super-user" in found["change-management"].sentence  # explained by its sentence
    assert all(
        real_catalog.questions[q.id].category in ("behavioral", "career-transition")
        for q in questions
    )
    words = {t.competency: t.product_words for t in translations}
    assert "stakeholder-alignment" in words and words["stakeholder-alignment"]


def test_cli_add_list_show_edit_rm(run_cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "sepsis.md"
    path.write_text(NURSE_STORY)
    added = run_cli("story", "add", str(path), "--background", "nurse", "--json")
    assert added.code == 0, added.err
    data = json.loads(added.out)
    assert data["title"] == "Sepsis alerts on the ICU" and 1 <= data["score"] <= 5
    assert data["evidence"][0]["sentence"] and data["checks"][0]["id"] == "result-measured"
    listed = json.loads(run_cli("story", "list", "--json").out)
    assert [set(x) >= {"id", "title", "competencies", "questions", "score"} for x in listed] == [
        True
    ]
    assert listed[0]["competencies"] == data["competencies"]
    sid = str(data["id"])
    edited = run_cli("story", "edit", sid, "--result", "Nothing measurable changed.", "--json")
    assert edited.code == 0, edited.err
    assert json.loads(edited.out)["checks"][0]["ok"] is False
    assert run_cli("story", "rm", sid).code == 0
    gone = run_cli("story", "show", sid)
    assert gone.code == 2 and "no story" in gone.line


def test_phi_is_guarded_before_anything_is_stored(
    run_cli: Runner, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = tmp_path / "s.txt"
    path.write_text("I cared for John Smith (MRN 12345678) and I led the handoff redesign.")
    refused = run_cli("story", "add", str(path))
    assert refused.code == 2 and "--redact" in refused.line
    assert run_cli.loads == []  # type: ignore[attr-defined]  # nothing scored either
    with session_factory() as session:
        assert session.scalars(select(Story)).all() == []
    assert run_cli("story", "add", str(path), "--redact").code == 0
    with session_factory() as session:
        row = session.scalars(select(Story)).one()
        assert "John" not in row.situation + row.action and row.redacted


def test_gaps_and_plan_tasks(
    run_cli: Runner, tmp_path: Path, session_factory: sessionmaker[Session], real_catalog: Catalog
) -> None:
    profile_path = tmp_path / "dana.yaml"
    write_profile(profile_path, nurse_profile())
    before = json.loads(run_cli("story", "gaps", "--profile", str(profile_path), "--json").out)
    story_path = tmp_path / "s.md"
    story_path.write_text(NURSE_STORY)
    assert run_cli("story", "add", str(story_path)).code == 0
    after = json.loads(run_cli("story", "gaps", "--profile", str(profile_path), "--json").out)
    proven = set(after["proven"])
    assert proven and not proven & {g["competency"] for g in after["gaps"]}
    assert len(after["gaps"]) < len(before["gaps"])
    with session_factory() as session, session.begin():
        make_plan(
            session, user=ensure_local_user(session), profile=nurse_profile(), catalog=real_catalog
        )
    args = ("story", "gaps", "--profile", str(profile_path), "--add-to-plan", "--json")
    first = json.loads(run_cli(*args).out)
    again = json.loads(run_cli(*args).out)
    assert len(first["added_to_plan"]) == len(after["gaps"]) and again["added_to_plan"] == []
    with session_factory() as session:
        plan = current_plan(session, user=ensure_local_user(session))
    keys = set(first["added_to_plan"])
    assert keys <= {t["key"] for t in plan["tasks"]}
    for week in plan["weeks"]:
        assert week["hours"] <= week["capacity"] + 1e-9


def test_gaps_need_a_profile(run_cli: Runner) -> None:
    result = run_cli("story", "gaps")
    assert result.code == 2 and "profile" in result.line


def test_gap_order_puts_must_haves_first(real_catalog: Catalog) -> None:
    gaps = story_gaps(real_catalog, level="senior-pm", proven=[])
    musts = [g.must_have for g in gaps]
    assert musts == sorted(musts, reverse=True)
    assert all(g.expected >= 2 for g in gaps)


def test_practising_a_behavioral_question_offers_matching_stories(
    run_cli: Runner, tmp_path: Path, real_catalog: Catalog
) -> None:
    behavioral = next(q for q in real_catalog.questions.values() if q.category == "behavioral")
    path = tmp_path / "s.yaml"
    path.write_text(
        "title: Told in the question's words\n"
        f"situation: {json.dumps(behavioral.prompt)}\n"
        f"action: {json.dumps(' '.join(behavioral.talking_points))}\n"
    )
    assert run_cli("story", "add", str(path)).code == 0
    assert behavioral.id in json.loads(run_cli("story", "list", "--json").out)[0]["questions"]
    listed = json.loads(run_cli("story", "list", "--question", behavioral.id, "--json").out)
    assert [s["title"] for s in listed] == ["Told in the question's words"]
    scored = run_cli(
        "practice",
        "score",
        "--question-id",
        behavioral.id,
        "--no-save",
        "-",
        stdin="I led the change with the clinical team.",
    )
    assert scored.code == 0 and "Your stories for this question" in scored.out
