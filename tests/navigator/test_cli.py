from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from healthpm.cli import app
from healthpm.cli.common import run_app
from healthpm.config import Settings
from healthpm.demo import demo_profile_path

NURSE = str(demo_profile_path("nurse-to-pm"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_app(app, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_contract(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "assess", NURSE, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["target"] == "product-manager"
    assert set(data["readiness"]) >= {"associate-pm", "product-manager"}
    assert data["gaps"] and {"competency", "rating", "expected", "cost"} <= set(data["gaps"][0])


def test_assess_text_explains_numbers(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "assess", NURSE)
    assert code == 0
    assert "capped at" in out or "weighted expectations" in out
    assert "cost = readiness points" in out


def test_plan_json_is_stored_and_progress_tracks_it(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "plan", NURSE, "--json")
    assert code == 0
    plan = json.loads(out)
    assert 80 <= plan["total_hours"] <= 100
    assert plan["total_hours"] == pytest.approx(sum(w["hours"] for w in plan["weeks"]))
    key = plan["weeks"][0]["tasks"][0]["key"]
    assert run(capsys, "done", key)[0] == 0
    assert run(capsys, "log", "1.5", "--task", key)[0] == 0
    code, out, _ = run(capsys, "progress", "--json")
    rows = json.loads(out)
    assert sum(r["tasks_done"] for r in rows) == 1
    assert sum(r["logged_hours"] for r in rows) == 1.5
    code, out, _ = run(capsys, "plan", NURSE, "--json")
    again = json.loads(out)
    assert key in {t["key"] for t in again["done"]}


def test_ics_export_has_stable_uids(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run(capsys, "plan", NURSE, "--format", "ics", "-o", str(first))[0] == 0
    assert run(capsys, "plan", NURSE, "--format", "ics", "-o", str(second))[0] == 0
    events = [Calendar.from_ical(p.read_bytes()).walk("VEVENT") for p in (first, second)]
    uids = [[str(e["UID"]) for e in evs] for evs in events]
    assert uids[0] == uids[1] and len(set(uids[0])) == len(uids[0]) > 0


def test_markdown_export(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", NURSE, "--format", "md", "--no-save")
    assert code == 0 and out.startswith("# ") and "## Week 1" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (
            "{name: x, background: nurse2, years_experience: 3, target_level: product-manager, "
            "hours_per_week: 5, start_date: 2027-01-01}",
            "background",
        ),
        ("name: x\nbackground: nurse\n", "years_experience"),
        (
            "{name: x, background: nurse, years_experience: 3, target_level: product-manager, "
            "hours_per_week: 50, start_date: 2027-01-01}",
            "hours_per_week",
        ),
        (
            "{name: x, background: nurse, years_experience: 3, target_level: product-manager, "
            "hours_per_week: 5, start_date: 2027-01-01, colour: blue}",
            "colour",
        ),
        (
            "{name: x, background: nurse, years_experience: 3, target_level: cto, "
            "hours_per_week: 5, start_date: 2027-01-01}",
            "target_level",
        ),
        (
            "{name: x, background: nurse, years_experience: 3, target_level: product-manager, "
            "hours_per_week: 5, start_date: 2027-01-01, ratings: {fhir: 2}}",
            "ratings.fhir",
        ),
        (
            "{name: x, background: nurse, years_experience: 3, target_level: product-manager, "
            "hours_per_week: 5, start_date: 2027-01-01, ratings: {security: 7}}",
            "ratings.security",
        ),
        ("[1, 2", "not valid YAML"),
    ],
)
def test_bad_profile_gets_one_line(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str,
    needle: str,
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content)
    code, out, err = run(capsys, "assess", str(path))
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


def test_init_with_flags_writes_a_valid_profile(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "me.yaml"
    code, _, err = run(
        capsys,
        "init",
        str(path),
        "--name",
        "Ana",
        "--background",
        "pharmacist",
        "--years-experience",
        "6",
        "--target-level",
        "associate-pm",
        "--hours-per-week",
        "5",
        "--rate",
        "clinical-workflow=4",
        "--unavailable",
        "sunday",
    )
    assert code == 0, err
    assert run(capsys, "assess", str(path), "--json")[0] == 0
    assert run(capsys, "init", str(path), "--name", "B")[0] == 2  # never overwrites silently


def test_init_without_a_terminal_names_the_missing_flag(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "x.yaml"), "--name", "A")
    assert code == 2 and "--background" in err


def test_reference_commands(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "levels")[0] == 0
    code, out, _ = run(capsys, "salaries", "--json")
    assert code == 0 and all(b["source"] for b in json.loads(out))
    code, out, _ = run(capsys, "glossary", "HIPAA")
    assert code == 0 and "HIPAA" in out
    assert run(capsys, "glossary", "no-such-term-xyz")[0] == 2
    assert run(capsys, "salaries", "--level", "cto")[0] == 2


def test_content_list_levels_ascending(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "list", "levels", "--json")
    levels = json.loads(out)
    assert code == 0 and [lv["order"] for lv in levels] == sorted(lv["order"] for lv in levels)
    assert all({"id", "name"} <= set(lv) for lv in levels)
    assert run(capsys, "content", "list", "nonsense")[0] == 2


def test_unknown_task_key(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "plan", NURSE, "--json")
    code, _, err = run(capsys, "done", "nope")
    assert code == 2 and "nope" in err


def test_practice_next_uses_the_stored_profile(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "practice", "next", "--json")
    assert code == 0 and not any("below your target" in q["why"] for q in json.loads(out))
    run(capsys, "plan", NURSE, "--json")  # stores the nurse profile as the current one
    code, out, _ = run(capsys, "practice", "next", "--json")
    assert code == 0 and any("below your target" in q["why"] for q in json.loads(out))
