"""Task ticks and logged hours belong to the profile whose plan was current (issue 12, item 6):
two profiles whose plans share a task key do not share its tick or its hours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthpm.cli import app
from healthpm.cli.common import run_app
from healthpm.config import Settings
from healthpm.demo import demo_profile_path

NURSE = demo_profile_path("nurse-to-pm")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run_app(app, list(args))
    out, _ = capsys.readouterr()
    return code, out


def _progress(capsys: pytest.CaptureFixture[str]) -> tuple[int, float, float]:
    code, out = run(capsys, "progress", "--json")
    assert code == 0
    rows = json.loads(out)
    return (
        sum(r["tasks_done"] for r in rows),
        sum(r["done_hours"] for r in rows),
        sum(r["logged_hours"] for r in rows),
    )


def test_a_tick_under_one_profile_is_not_done_under_another(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    text = NURSE.read_text(encoding="utf-8")
    first.write_text(text.replace("name: Dana Reyes (demo)", "name: Dana A"), encoding="utf-8")
    second.write_text(text.replace("name: Dana Reyes (demo)", "name: Dana B"), encoding="utf-8")

    code, out = run(capsys, "plan", str(first), "--json")
    assert code == 0
    plan_a = json.loads(out)
    key = plan_a["weeks"][0]["tasks"][0]["key"]
    assert run(capsys, "done", key)[0] == 0
    assert run(capsys, "log", "1.5", "--task", key, "--on", "2027-01-05")[0] == 0
    assert run(capsys, "log", "2", "--on", "2027-01-06")[0] == 0
    done_a, done_hours_a, logged_a = _progress(capsys)
    assert (done_a, logged_a) == (1, 3.5) and done_hours_a > 0

    # The same persona under another name: the same task keys, none of A's ticks or hours.
    code, out = run(capsys, "plan", str(second), "--json")
    plan_b = json.loads(out)
    assert key in {t["key"] for t in plan_b["tasks"]}
    assert plan_b["done"] == []
    assert plan_b["total_hours"] == pytest.approx(
        plan_a["total_hours"] + sum(t["hours"] for t in plan_a["done"])
    )
    assert _progress(capsys) == (0, 0.0, 0.0)
    code, out = run(capsys, "plan", str(second), "--format", "md", "--no-save")
    assert code == 0

    # Ticking under B is B's own; unticking it there leaves A's tick alone.
    assert run(capsys, "done", key)[0] == 0
    assert _progress(capsys)[0] == 1
    assert run(capsys, "done", key, "--undo")[0] == 0
    assert _progress(capsys) == (0, 0.0, 0.0)

    # Back to A: its tick and hours are there again.
    code, out = run(capsys, "plan", str(first), "--json")
    assert key in {t["key"] for t in json.loads(out)["done"]}
    assert _progress(capsys) == (done_a, done_hours_a, logged_a)
