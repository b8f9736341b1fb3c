"""A new user goes through the app in a real browser; screenshots of every page are kept."""

from __future__ import annotations

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


def _onboard(page: Any, name: str, target: str = "product-manager") -> None:
    """Fill the profile, rate one competency per theme, make the plan; lands on the dashboard."""
    page.get_by_label("Profile name").fill(name)
    page.get_by_label("Years of work experience").fill("5")
    page.get_by_label("Target level").select_option(target)
    page.get_by_role("button", name="Save and rate your skills").click()
    _rate_themes(page)


def _rate_themes(page: Any) -> None:
    """Rate one competency per theme page, waiting for each next page; ends on the dashboard."""
    page.wait_for_url(re.compile(r".*/onboarding/[a-z-]+$"))
    while True:
        page.locator(".ratings input[value='2']").first.check()
        finish = page.get_by_role("button", name="Save and make my plan")
        if finish.count():
            finish.click()
            page.wait_for_url(re.compile(r".*/\?welcome=1"))
            return
        url = page.url
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(lambda current, before=url: current != before)


def _tick_a_task(page: Any, base: str) -> str:
    page.goto(base + "/plan")
    task = page.locator('[data-task][data-done="false"]').first
    key = str(task.get_attribute("data-task"))
    task.locator("button").click()
    page.wait_for_selector(f'[data-task="{key}"][data-done="true"]')
    return key


def _answer(page: Any, base: str) -> str:
    """Answer the suggested question; returns the attempt's URL once feedback shows."""
    page.set_default_timeout(ENGINE_LOAD_MS)  # the server loads the model in the background
    page.goto(base + "/practice")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Score my answer").click()
    page.wait_for_selector("[data-overall]")
    page.set_default_timeout(30_000)
    assert re.search(r"/practice/attempts/\d+$", page.url), page.url
    assert page.locator("[data-flag]").count() >= 1
    assert page.locator("[data-answer] mark").count() >= 1
    return str(page.url)


def test_single_user_journey(browser: Any, server: str, shot: Shot) -> None:
    """Demo first; then my own profile, readiness chart, plan, a tick, an answer, feedback."""
    page = _new_page(browser)
    page.set_default_timeout(30_000)
    page.goto(server + "/")
    assert page.locator("[data-demo-profile]").is_visible()
    shot(page, "dashboard-demo")
    page.get_by_role("link", name="Start my own profile").first.click()
    assert page.get_by_label("Profile name").input_value() == ""
    shot(page, "onboarding-profile")
    page.get_by_label("Profile name").fill("Sam")
    page.get_by_label("Years of work experience").fill("7")
    page.get_by_label("Target level").select_option("senior-pm")
    page.get_by_role("button", name="Save and rate your skills").click()
    page.wait_for_url(re.compile(r".*/onboarding/[a-z-]+$"))
    shot(page, "onboarding-theme")
    _rate_themes(page)
    assert page.locator('[data-readiness="senior-pm"]').is_visible()
    assert page.locator("figure.chart svg").first.is_visible()
    assert page.locator("[data-demo-profile]").count() == 0
    shot(page, "dashboard")
    _tick_a_task(page, server)
    shot(page, "plan")
    page.goto(server + "/practice")
    shot(page, "practice")
    _answer(page, server)
    shot(page, "feedback")
    page.goto(server + "/practice/history")
    assert page.locator("[data-attempt]").count() == 1
    shot(page, "history")
    page.goto(server + "/mock")
    assert page.locator("h1").count() == 1
    shot(page, "mock")
    page.goto(server + "/account")
    assert page.get_by_role("link", name="Download my data (JSON)").is_visible()
    shot(page, "account-data")


def _sign_up(page: Any, base: str, email: str, password: str) -> None:
    page.goto(base + "/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()


def test_multi_user_sign_in_and_isolation(browser: Any, multi_server: str, shot: Shot) -> None:
    page = _new_page(browser)
    page.set_default_timeout(30_000)
    page.goto(multi_server + "/")
    assert "/signin" in page.url
    page.goto(multi_server + "/signup")
    shot(page, "signup")
    _sign_up(page, multi_server, "ana@example.org", "a long enough password")
    _onboard(page, "Ana")
    key = _tick_a_task(page, multi_server)
    attempt_url = _answer(page, multi_server)
    page.goto(multi_server + "/account")
    shot(page, "account")
    page.get_by_role("button", name="Sign out").click()
    page.goto(multi_server + "/plan")
    assert "/signin" in page.url
    shot(page, "signin")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/plan$"))
    assert page.locator(f'[data-task="{key}"][data-done="true"]').count() == 1
    page.goto(multi_server + "/onboarding")
    assert page.get_by_label("Profile name").input_value() == "Ana"
    page.goto(multi_server + "/practice/history")
    assert page.locator("[data-attempt]").count() == 1
    response = page.goto(attempt_url)
    assert response is not None and response.status == 200
    assert page.locator("[data-flag]").count() >= 1
    other = _new_page(browser)
    _sign_up(other, multi_server, "bo@example.org", "another long password")
    other.wait_for_url(re.compile(r".*/onboarding$"))
    response = other.goto(attempt_url)
    assert response is not None and response.status == 404
    assert other.locator("[data-overall]").count() == 0
    shot(other, "not-yours")
