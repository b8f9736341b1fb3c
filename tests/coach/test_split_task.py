"""B11: a task the plan split across weeks is one task. Ticking any part ticks every part, in
the htmx answer, the page, the progress card, the Markdown export, the coach's plan view and
the CLI; unticking likewise."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from healthpm.cli import app
from healthpm.cli.common import run_app
from healthpm.config import Settings
from healthpm.demo import demo_profile_path
from web.conftest import ClientFactory, csrf, onboard, post

from .helpers import share, user_id

ROW = re.compile(
    r'<li class="task[^"]*" id="([^"]+)" data-task="([^"]+)" data-done="\w+" data-week="(\d+)"'
)


def _split_task(html: str) -> tuple[str, list[int]]:
    """A task key with rows in two or more weeks, and those weeks."""
    weeks: dict[str, list[int]] = {}
    for _id, key, week in ROW.findall(html):
        weeks.setdefault(key, []).append(int(week))
    split = [(k, w) for k, w in weeks.items() if len(w) > 1]
    assert split, "the onboarding plan has no task split across weeks"
    return split[0]


def _rows(html: str, key: str) -> list[str]:
    """Each <li> of the task (its whole element)."""
    return re.findall(rf'<li class="task[^"]*" id="task-{key}-w\d+".*?</li>', html, flags=re.S)


def _done_summary(html: str) -> str:
    found = re.search(r"data-progress-summary>(\d+ of \d+) task", html)
    assert found
    return found.group(1)


def _tick(c: TestClient, key: str, week: int, done: bool) -> str:
    r = c.post(
        f"/plan/tasks/{key}",
        data={"done": str(done).lower(), "week": str(week), "csrf_token": csrf(c)},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200, r.text
    return r.text


@pytest.fixture
def candidate(make_client: ClientFactory, catalog: Catalog) -> TestClient:
    c = make_client("nadia@cohort.test")
    onboard(c, catalog)
    return c


def test_page_ids_are_unique_with_split_tasks(candidate: TestClient) -> None:
    html = candidate.get("/plan").text
    _split_task(html)
    ids = Counter(i for i, *_ in ROW.findall(html))
    assert ids and max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]


def test_ticking_part_one_ticks_every_part_in_the_htmx_answer(candidate: TestClient) -> None:
    page = candidate.get("/plan").text
    key, weeks = _split_task(page)
    before = _done_summary(page)
    answer = _tick(candidate, key, weeks[0], True)
    rows = _rows(answer, key)
    assert len(rows) == len(weeks)
    for row, week in zip(rows, weeks, strict=True):
        assert f'data-week="{week}"' in row and 'data-done="true"' in row
        # Each row keeps its own part label and its own hours, not the whole task's.
        page_row = next(r for r in _rows(page, key) if f'data-week="{week}"' in r)
        part = re.search(r"\((part \d+)\)", page_row)
        hours = re.search(r"([\d.]+) h ·", page_row)
        assert part and hours
        assert f"({part.group(1)})" in row and f"{hours.group(1)} h ·" in row
    # Only the clicked row is swapped in place; the others (and progress) go out of band.
    assert "hx-swap-oob" not in rows[0] and all("hx-swap-oob" in r for r in rows[1:])
    assert 'id="progress-card"' in answer and 'hx-swap-oob="true"' in answer
    done_n, total = (int(x) for x in before.split(" of "))
    assert _done_summary(answer) == f"{done_n + 1} of {total}"
    after = candidate.get("/plan").text
    assert all('data-done="true"' in r for r in _rows(after, key))
    assert _done_summary(after) == f"{done_n + 1} of {total}"


def test_unticking_any_part_unticks_every_part(candidate: TestClient) -> None:
    key, weeks = _split_task(candidate.get("/plan").text)
    _tick(candidate, key, weeks[0], True)
    answer = _tick(candidate, key, weeks[-1], False)
    rows = _rows(answer, key)
    assert len(rows) == len(weeks) and all('data-done="false"' in r for r in rows)
    assert "hx-swap-oob" not in rows[-1]  # the clicked (last) part is the one swapped in place
    assert all('data-done="false"' in r for r in _rows(candidate.get("/plan").text, key))


def test_without_javascript_the_redirect_lands_on_the_clicked_part(
    candidate: TestClient,
) -> None:
    key, weeks = _split_task(candidate.get("/plan").text)
    r = post(candidate, f"/plan/tasks/{key}", {"done": "true", "week": weeks[-1]})
    assert r.status_code == 303 and r.headers["location"] == f"/plan#task-{key}-w{weeks[-1]}"


def test_markdown_and_coach_view_show_every_part_done(
    candidate: TestClient, make_client: ClientFactory
) -> None:
    coach = make_client("coach@bootcamp.test", "coach")
    share(candidate, "plan")
    key, weeks = _split_task(candidate.get("/plan").text)
    _tick(candidate, key, weeks[1], True)
    lines = [line for line in candidate.get("/plan.md").text.splitlines() if f"`{key}`" in line]
    assert len(lines) == len(weeks) and all(line.startswith("- [x]") for line in lines)
    html = coach.get(f"/coach/{user_id(candidate)}/plan").text
    title = re.search(r'class="task-title">([^<]+)', _rows(candidate.get("/plan").text, key)[0])
    assert title
    every = re.findall(r'<li class="task[^"]*".*?</li>', html, flags=re.S)
    coach_rows = [r for r in every if title.group(1).strip() in r]
    assert len(coach_rows) >= len(weeks)
    assert all('data-done="true"' in r and "Done:" in r for r in coach_rows)


def test_cli_done_names_every_part(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(app, ["plan", str(demo_profile_path("nurse-to-pm")), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    weeks: dict[str, list[int]] = {}
    for week in plan["weeks"]:
        for task in week["tasks"]:
            weeks.setdefault(task["key"], []).append(week["index"])
    key, parts = next((k, w) for k, w in weeks.items() if len(w) > 1)
    assert run_app(app, ["done", key]) == 0
    out = capsys.readouterr().out
    assert f"all {len(parts)} parts: weeks {', '.join(map(str, parts))}" in out
    assert run_app(app, ["plan", str(demo_profile_path("nurse-to-pm")), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert not [line for line in md.splitlines() if line.startswith("- [ ]") and key in line]
    assert run_app(app, ["progress", "--json"]) == 0
    assert sum(r["tasks_done"] for r in json.loads(capsys.readouterr().out)) == 1
    assert run_app(app, ["done", key, "--undo"]) == 0
    assert "unticked" in capsys.readouterr().out
