"""Job match and stories in a real browser: upload a saved posting page, see level,
credentials and pay; the stories page offers the form (screenshots kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Shot

pytestmark = pytest.mark.browser

PAGE = Path(__file__).resolve().parents[1] / "jobs" / "postings" / "03_senior_rpm.html"


def test_upload_a_saved_posting_and_see_the_match(browser: Any, server: str, shot: Shot) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server + "/jobs")
    assert page.locator("h1").count() == 1
    page.get_by_label("or upload a saved page").set_input_files(str(PAGE))
    page.get_by_role("button", name="Match").click()
    page.wait_for_url(lambda url: "/jobs/" in url)
    assert page.get_by_role("heading", name="Senior Product Manager, Remote Monitoring").count()
    assert page.get_by_text("Registered nurse (RN)").count()
    assert page.get_by_text("510(k) premarket notification").count()
    shot(page, "job-match")
    page.goto(server + "/stories")
    assert page.get_by_role("heading", name="Write a story").is_visible()
    shot(page, "stories")
