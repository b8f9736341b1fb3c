"""The operator's and the coach's paths in a real browser, as the bootcamp review walked them.

The operator uses only the CLI and docs/operating.md: a coach account, the cohort invited from
a CSV (sign-up closed), practice history imported, `user list`, `/healthz`, `export --all`.
Three candidates join through their links and share different things: Nadia (nurse)
everything, Priya (pharmacist) practice only, Marcus (fintech PM) nothing. The coach lands on
the cohort, reviews, scores and comments; the candidate sees the badge and replies.
Screenshots go to artifacts/screenshots/coach-*.png.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import Shot, _free_port, _serve, server_env
from .test_walkthrough import _onboard

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
COACH = "coach@bootcamp.test"
PEOPLE = {
    "nadia@cohort.test": "Nadia Okafor",
    "priya@cohort.test": "Priya Raman",
    "marcus@cohort.test": "Marcus Chen",
}
ANSWERS = (
    "I would begin with the charge nurses on two units and time each step of the handover. "
    "We should drive engagement with streaks and daily push notifications. "
    "Success means fewer missed medication doses against last quarter, with alert burden "
    "as a guardrail.",
    "First I would map who signs off on a change to the order set and what evidence they "
    "need. I would pilot on one ward and compare reconciliation errors before and after.",
    "The release waits for the validation report; I would tell the sales lead the new date "
    "and what we learned, and ask which customer commitment we can still keep.",
)


class Operator:
    """Runs `healthpm` commands against the test server's store, as an operator would."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def run(self, *args: str, stdin: str = "") -> str:
        result = subprocess.run(
            [sys.executable, "-m", "healthpm", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout


def _practice_export(tmp: Path, email: str, count: int, with_mock: bool) -> Path:
    """A `healthpm export` file with scored answers (the web tests' fake engine scores them)."""
    from healthpm.accounts.portability import export_user_data
    from healthpm.accounts.service import create_user
    from healthpm.catalog import get_catalog
    from healthpm.config import Settings
    from healthpm.db import transaction
    from healthpm.practice import mock as mocks
    from healthpm.practice.service import record_attempt
    from healthpm.store import open_store
    from web.fakes import FakeEngine

    catalog = get_catalog()
    factory = open_store(Settings(env="test", data_dir=tmp / email))
    engine = FakeEngine(catalog)
    questions = list(catalog.questions)
    with transaction(factory) as s:
        user = create_user(s, email=email, password=PASSWORD)
        for i in range(count):
            record_attempt(
                s,
                engine=engine,
                catalog=catalog,
                user_id=user.id,
                answer=ANSWERS[i % len(ANSWERS)],
                question_id=questions[i],
            )
        if with_mock:
            session = mocks.start_mock(s, catalog=catalog, user_id=user.id, minutes=15)
            for qid in session.question_ids[:2]:
                record_attempt(
                    s,
                    engine=engine,
                    catalog=catalog,
                    user_id=user.id,
                    answer=ANSWERS[0],
                    question_id=qid,
                    mock_id=session.id,
                )
            mocks.finish_mock(s, mock=session)
        data = export_user_data(s, user)
    factory.kw["bind"].dispose()
    path = tmp / f"{email}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cohort_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Operator]]:
    tmp = tmp_path_factory.mktemp("cohort")
    port = _free_port()
    env = server_env(tmp) | {
        "HEALTHPM_MULTI_USER": "true",
        "HEALTHPM_SIGNUP": "invite",
        "HEALTHPM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HEALTHPM_PRELOAD_MODEL": "false",  # nobody scores here: answers are imported
    }
    operator = Operator(env)
    for url in _serve(tmp, env=env, port=port):
        yield url, operator


def _page(browser: Any, width: int = 1280) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    return page


def _sign_in(page: Any, url: str, email: str) -> None:
    page.goto(url + "/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def _share(page: Any, url: str, kind: str) -> None:
    page.goto(url + "/account")
    page.get_by_label("Coach's email").fill(COACH)
    page.get_by_label("What to share").select_option(kind)
    page.get_by_role("button", name="Share").click()
    page.wait_for_load_state("networkidle")


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_operator_and_coach_paths(
    browser: Any, cohort_server: tuple[str, Operator], shot: Shot, tmp_path: Path
) -> None:
    url, op = cohort_server
    # --- operator: a coach, the cohort invited from a CSV, sign-up closed ---
    op.run(
        "user",
        "create",
        COACH,
        "--role",
        "coach",
        "--name",
        "Cora Coach",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    cohort_csv = tmp_path / "cohort.csv"
    cohort_csv.write_text(
        "email,name\n" + "".join(f"{e},{n}\n" for e, n in PEOPLE.items()), encoding="utf-8"
    )
    links = dict(
        re.findall(r"^([^,\n]+),candidate,(\S+)$", op.run("user", "import", str(cohort_csv)), re.M)
    )
    assert set(links) == set(PEOPLE)
    assert httpx.get(url + "/healthz").json()["status"] == "ok"
    stranger = _page(browser)
    assert stranger.goto(url + "/signup").status == 403  # closed: invitations only
    # --- candidates join through their links and onboard ---
    pages = {}
    for email, name in PEOPLE.items():
        page = _page(browser)
        page.goto(links[email])
        if email.startswith("nadia"):
            shot(page, "coach-join")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        _onboard(page, name.split()[0])
        pages[email] = page
    listed = op.run("user", "list")
    assert all(e in listed for e in PEOPLE) and "Cora Coach" in listed
    # Their practice so far arrives as exports (the operator's `healthpm import`).
    op.run(
        "import",
        str(_practice_export(tmp_path, "n@gen.test", 3, True)),
        "--email",
        "nadia@cohort.test",
    )
    op.run(
        "import",
        str(_practice_export(tmp_path, "p@gen.test", 2, False)),
        "--email",
        "priya@cohort.test",
    )
    nadia, priya = pages["nadia@cohort.test"], pages["priya@cohort.test"]
    _share(nadia, url, "plan")
    _share(nadia, url, "practice")
    _share(priya, url, "practice")
    # --- the coach lands on the cohort, with the coach's nav ---
    coach = _page(browser)
    _sign_in(coach, url, COACH)
    assert coach.url.rstrip("/").endswith("/coach")
    nav = coach.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Analytics").is_visible()
    assert nav.get_by_role("link", name="Plan").count() == 0
    rows = coach.locator("tr[data-candidate]")
    assert rows.count() == 3
    marcus = coach.locator("tr[data-shares-nothing]")
    assert marcus.count() == 1 and "Marcus Chen" in marcus.inner_text()
    nadia_row = coach.locator("tr[data-candidate]", has_text="Nadia")
    assert "% done" in nadia_row.inner_text() and "answers" in nadia_row.inner_text()
    shot(coach, "coach-cohort")
    coach.get_by_label("Needs").select_option("unreviewed")
    coach.get_by_role("button", name="Show").click()
    assert coach.locator("tr[data-candidate]").count() == 2
    csv_text = coach.request.get(url + "/coach/cohort.csv").text()
    assert csv_text.count("\n") == 4 and "marcus@cohort.test" in csv_text
    # --- one candidate: assessment and plan, practice, a mock as a unit ---
    coach.goto(url + "/coach")
    nadia_row = coach.locator("tr[data-candidate]", has_text="Nadia")
    nadia_row.get_by_role("link", name=re.compile("% done")).click()
    assert coach.get_by_role("heading", name="Self-ratings and evidence").is_visible()
    assert coach.locator("[data-plan-status]").is_visible()
    assert "your gaps" not in coach.content().lower()
    shot(coach, "coach-plan")
    coach.get_by_role("link", name="Practice").last.click()
    assert coach.locator("tr[data-attempt]").count() == 3
    shot(coach, "coach-practice")
    coach.get_by_role("link", name=re.compile(r"15 min")).click()
    assert coach.locator("[data-mock-report]").is_visible()
    shot(coach, "coach-mock")
    coach.go_back()
    coach.locator("tr[data-attempt] a").first.click()
    assert "Nadia Okafor" in coach.title()
    # --- review: blank comment keeps the place, then an anchored comment with lines, a score ---
    coach.get_by_label(re.compile("^Your comment")).fill("   ")
    coach.evaluate("document.getElementById('comment-body').removeAttribute('required')")
    coach.get_by_role("button", name="Add comment").click()
    assert coach.get_by_role("alert").inner_text().strip() == "a comment needs some text"
    coach.get_by_label("About").select_option(index=1)
    coach.get_by_label(re.compile("^Your comment")).fill(
        "Strong opening.\nName the baseline.\n\n- drop the streaks\n- say who carries the pager"
    )
    coach.get_by_role("button", name="Add comment").click()
    comment = coach.locator("[data-comment] .comment").first
    assert comment.locator("br").count() == 1 and comment.locator("li").count() == 2
    coach.get_by_label(re.compile("^Overall")).fill("2.5")
    coach.get_by_role("button", name="Save score and mark reviewed").click()
    assert coach.locator("[data-reviews]").is_visible()
    shot(coach, "coach-attempt")
    # --- the candidate sees the badge, reads and replies; the coach sees the reply ---
    nadia.goto(url + "/")
    badge = nadia.locator("[data-from-coach] .badge")
    assert badge.inner_text().strip() == "1 new"
    shot(nadia, "coach-candidate-badge")
    nadia.locator("[data-from-coach] a").first.click()
    assert nadia.locator("[data-comment] li").count() == 2
    nadia.locator("details.reply-box summary").first.click()
    nadia.get_by_label("Your reply").first.fill("Thanks: I will redo it with the baseline.")
    nadia.get_by_role("button", name="Reply").first.click()
    shot(nadia, "coach-candidate-reply")
    coach.goto(url + "/coach")
    assert "1 new reply" in coach.locator("tr[data-candidate]", has_text="Nadia").inner_text()
    # --- analytics across the two who share practice ---
    coach.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
    assert coach.locator(".heatmap svg").is_visible()
    assert "2 candidates" in coach.locator("p.lead").inner_text()
    shot(coach, "coach-analytics")
    # --- a draft survives the candidate revoking meanwhile ---
    coach.goto(url + "/coach")
    priya_id = coach.locator("tr[data-candidate]", has_text="Priya").get_attribute("data-candidate")
    coach.goto(url + f"/coach/{priya_id}/practice")
    coach.locator("tr[data-attempt] a").first.click()
    coach.get_by_label(re.compile("^Your comment")).fill("My careful draft for Priya.")
    priya.goto(url + "/account")
    priya.get_by_role("button", name="Revoke").first.click()
    coach.get_by_role("button", name="Add comment").click()
    assert coach.get_by_label("Your draft").input_value() == "My careful draft for Priya."
    # --- a phone: the coach's pages fit 390 px ---
    phone = _page(browser, 390)
    _sign_in(phone, url, COACH)
    assert _fits(phone)
    shot(phone, "coach-cohort-m390")
    phone.goto(url + "/coach/analytics")
    assert _fits(phone)
    shot(phone, "coach-analytics-m390")
    # --- operator: a real per-account export, no phantom account ---
    out = op.run("export", "--all", "-o", str(tmp_path / "backup"))
    assert "wrote 4 account files" in out
    assert "local@healthpm.invalid" not in op.run("user", "list")
