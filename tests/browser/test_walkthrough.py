"""A new user goes through the app in a real browser; screenshots of every page are kept."""

from __future__ import annotations

import importlib.util
import re
from typing import Any

import pytest

from .conftest import Shot

pytestmark = pytest.mark.browser

ANSWER = (
    "I would start by mapping the clinical workflow with the nurses who triage the alerts. "
    "We should drive engagement with streaks and daily push notifications. "
    "We would sign a BAA with every vendor that touches PHI and keep audit logs. "
    "Success means fewer missed deteriorations against a baseline, "
    "with alert burden as a guardrail."
)


ENGINE_LOAD_MS = 400_000


def _engine_ready() -> bool:
    return importlib.util.find_spec("healthpm.domain.feedback.engine") is not None


def _new_page(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context.new_page()


def test_public_pages(browser: Any, server: str, shot: Shot) -> None:
    page = _new_page(browser)
    for path, name in (
        ("/levels", "levels"),
        ("/glossary?q=FDA", "glossary"),
        ("/questions", "questions"),
        ("/docs", "api-docs"),
        ("/no-such-page", "not-found"),
    ):
        page.goto(server + path)
        assert page.locator("h1").count() == 1, path
        shot(page, name)
    page.goto(server + "/questions")
    page.get_by_label("Category").select_option(index=1)
    page.wait_for_load_state("networkidle")
    page.locator("[data-question] a").first.click()
    assert page.get_by_role("heading", name="Talking points").is_visible()
    shot(page, "question")
    mobile = _new_page(browser, width=390)
    mobile.goto(server + "/levels")
    shot(mobile, "levels-mobile")


def test_demo_dashboard_and_plan(browser: Any, server: str, shot: Shot) -> None:
    page = _new_page(browser)
    page.goto(server + "/")
    assert page.locator("[data-readiness]").count() >= 5
    assert page.locator("figure.chart svg").first.is_visible()
    shot(page, "dashboard")
    page.goto(server + "/plan")
    task = page.locator('[data-task][data-done="false"]').first
    key = task.get_attribute("data-task")
    task.locator("button").click()
    page.wait_for_selector(f'[data-task="{key}"][data-done="true"]')
    shot(page, "plan")


def test_onboarding_steps(browser: Any, server: str, shot: Shot) -> None:
    page = _new_page(browser)
    page.goto(server + "/onboarding")
    shot(page, "onboarding-profile")
    page.get_by_label("Profile name").fill("Sam")
    page.get_by_label("Target level").select_option("senior-pm")
    page.get_by_role("button", name="Save and rate your skills").click()
    shot(page, "onboarding-theme")
    while page.get_by_role("button", name="Save and continue").count():
        page.locator(".ratings input[value='2']").first.check()
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and make my plan").click()
    page.wait_for_url(re.compile(r".*/\?welcome=1"))
    assert page.locator('[data-readiness="senior-pm"]').is_visible()


@pytest.mark.skipif(not _engine_ready(), reason="the feedback engine is not in the tree yet")
def test_practice_feedback_highlights_a_flag(browser: Any, server: str, shot: Shot) -> None:
    page = _new_page(browser)
    page.set_default_timeout(ENGINE_LOAD_MS)  # the server loads the model in the background
    page.goto(server + "/practice")
    shot(page, "practice")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Score my answer").click()
    page.wait_for_selector("[data-overall]")
    assert page.locator("[data-flag]").count() >= 1
    assert page.locator("[data-answer] mark").count() >= 1
    shot(page, "feedback")
    page.goto(server + "/practice/history")
    shot(page, "history")


def test_multi_user_sign_in_and_isolation(browser: Any, multi_server: str, shot: Shot) -> None:
    page = _new_page(browser)
    page.goto(multi_server + "/")
    assert "/signin" in page.url
    page.goto(multi_server + "/signup")
    shot(page, "signup")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("Profile name").fill("Ana")
    page.get_by_label("Years of work experience").fill("4")
    page.get_by_role("button", name="Save and rate your skills").click()
    page.goto(multi_server + "/account")
    shot(page, "account")
    page.get_by_role("button", name="Sign out").click()
    page.goto(multi_server + "/signin")
    shot(page, "signin")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(multi_server + "/onboarding")
    assert page.get_by_label("Profile name").input_value() == "Ana"
    other = _new_page(browser)
    other.goto(multi_server + "/signup")
    other.get_by_label("Email").fill("bo@example.org")
    other.get_by_label("Password").fill("another long password")
    other.get_by_role("button", name="Create account").click()
    response = other.goto(multi_server + "/mock/1")
    assert response is not None and response.status == 404
