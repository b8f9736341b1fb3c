"""In a real browser, a multi-user server under HEALTHPM_ROOT_PATH=/healthpm: styled pages, htmx
and forms stay under the prefix (no request leaves it, none fails), and ticking one part of a
task split across weeks ticks every part and the progress card without a reload (B11).
Screenshots: artifacts/screenshots/subpath-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import Shot, _serve, server_env
from .test_walkthrough import _onboard

pytestmark = pytest.mark.browser

PREFIX = "/healthpm"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def prefixed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("subpath")
    env = server_env(tmp) | {"HEALTHPM_ROOT_PATH": PREFIX, "HEALTHPM_PRELOAD_MODEL": "false"}
    for url in _serve(tmp, "--multi-user", env=env):
        yield url + PREFIX


def test_a_candidate_under_a_prefix_ticks_a_split_task(
    browser: Any, prefixed_server: str, shot: Shot
) -> None:
    base = prefixed_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    failed: list[str] = []

    def watch(response: Any) -> None:
        path = urlsplit(response.url).path
        if not path.startswith(PREFIX + "/") and path != PREFIX:
            outside.append(response.url)
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", watch)
    page.goto(base + "/signup")
    page.get_by_label("Email").fill("nadia@cohort.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(rf".*{PREFIX}/onboarding$"))
    _onboard(page, "Nadia")
    assert urlsplit(page.url).path == PREFIX + "/"
    # The stylesheet applied: the page is not the browser's default black-on-white Times.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Times" not in font, font

    page.goto(base + "/plan")
    weeks: dict[str, list[str]] = {}
    for row in page.locator("li.task[data-task]").all():
        weeks.setdefault(str(row.get_attribute("data-task")), []).append(
            str(row.get_attribute("data-week"))
        )
    key, parts = next((k, w) for k, w in weeks.items() if len(w) > 1)
    summary = page.locator("[data-progress-summary]")
    before = int(summary.inner_text().split(" of ")[0])
    page.locator(f"#task-{key}-w{parts[0]} button").click()
    for week in parts:
        page.wait_for_selector(f'#task-{key}-w{week}[data-done="true"]', state="attached")
    page.wait_for_function(
        f"document.querySelector('[data-progress-summary]').innerText.startsWith('{before + 1} of')"
    )
    shot(page, "subpath-plan-split-ticked")
    # Untick from the last part (in a later week's folded section): every part follows.
    page.locator(f"#week-{parts[-1]}").click()
    page.locator(f"#task-{key}-w{parts[-1]} button").click()
    for week in parts:
        page.wait_for_selector(f'#task-{key}-w{week}[data-done="false"]', state="attached")
    page.reload()
    assert page.locator(f'li[data-task="{key}"][data-done="true"]').count() == 0

    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.wait_for_url(re.compile(rf".*{PREFIX}/signin$"))
    assert not outside, outside
    assert not failed, failed
    page.close()
