"""Issue 12, the newcomer's path: each bug the review found has a test here (web side)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from icalendar import Calendar
from markupsafe import escape

from healthpm.catalog import Catalog

from .conftest import post
from .fakes import FakeEngine

CRAFT_THEMES = ("product-craft", "stakeholders-leadership")  # as in healthpm.domain.path
ANSWER = (
    "I would start by mapping the clinical workflow with the nurses who triage the alerts. "
    "Success means fewer missed deteriorations against a baseline, with alert burden as a "
    "guardrail."
)


def persona(
    client: TestClient,
    catalog: Catalog,
    *,
    name: str,
    background: str,
    target: str,
    craft: int,
    domain: int,
    extra: dict[str, object] | None = None,
) -> None:
    """Onboard through the forms with one rating for craft and one for domain competencies."""
    about = {
        "name": name,
        "background": background,
        "years_experience": 8,
        "target_level": target,
        "hours_per_week": 8,
        "start_date": "2026-12-21",
    } | (extra or {})
    r = post(client, "/onboarding", about)
    assert r.status_code == 303, r.text
    for theme in catalog.themes:
        value = craft if theme in CRAFT_THEMES else domain
        ratings = {
            f"rating-{c.id}": value for c in catalog.competencies.values() if c.theme == theme
        }
        assert post(client, f"/onboarding/{theme}", ratings).status_code == 303


def senior(client: TestClient, catalog: Catalog) -> None:
    persona(
        client,
        catalog,
        name="Alex",
        background="senior-pm-leader",
        target="senior-pm",
        craft=4,
        domain=1,
    )


def nurse(client: TestClient, catalog: Catalog, **extra: object) -> None:
    persona(
        client,
        catalog,
        name="Maria",
        background="nurse",
        target="product-manager",
        craft=1,
        domain=3,
        extra=dict(extra),
    )


def _first_open_task(html: str) -> str:
    found = re.search(r'data-task="([^"]+)" data-done="false"', html)
    assert found
    return found.group(1)


# ---------------------------------------------------------------- your path and readiness


def test_senior_pm_reads_craft_ready_and_domain_gaps_never_no_level(
    client: TestClient, catalog: Catalog
) -> None:
    senior(client, catalog)
    page = client.get("/path").text
    assert "Senior Product Manager-ready" in page or "-ready" in page
    assert 'data-axis="craft"' in page and 'data-axis="domain"' in page
    assert "health-domain knowledge" in page
    assert 'data-transition="tech-pm-to-healthtech"' in page
    assert "Pick one subdomain" in page  # transition steps from content/transitions.yaml
    dashboard = client.get("/").text
    assert "do not yet meet the bar for any level" not in dashboard
    assert "data-headline" in dashboard


def test_nurse_path_shows_clinician_steps_roles_and_this_week(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog)
    page = client.get("/path").text
    assert 'data-transition="clinician-to-pm"' in page
    for role in catalog.backgrounds["nurse"].entry_roles:
        assert role in page
    assert "This week" in page and "Open this week's plan" in page
    assert "002_84661c2ff12e38df.txt" not in page  # the source shows as the article's title


def test_dashboard_chart_has_no_constant_target_bars(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    html = client.get("/").text
    assert ">Target<" not in html  # the old grey bar at 80 for every level (a legend entry)
    assert "Ready at" in html and "<svg" in html


# ---------------------------------------------------------------- plan


def test_general_study_hours_show_in_plan_dashboard_and_api(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog)
    r = post(client, "/plan/hours", {"hours": 1.5, "on": "2026-12-22", "task_key": ""})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "data-hours-logged" in page and "Logged 1.5 h of general study" in page
    assert re.search(r"data-general-study>.*?1\.5", page, re.S)
    assert "data-general-study" in client.get("/").text
    rows = client.get("/api/progress").json()
    assert sum(row["logged_hours"] for row in rows) == 1.5


def test_tick_swaps_the_progress_card_out_of_band(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    key = _first_open_task(client.get("/plan").text)
    r = client.post(
        f"/plan/tasks/{key}",
        data={"done": "true", "csrf_token": client.cookies["healthpm_csrf"]},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert 'id="progress-card"' in r.text and 'hx-swap-oob="true"' in r.text
    assert re.search(r"data-progress-summary>1 of \d+ tasks done", r.text)


def test_exports_match_the_page_after_a_tick(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    key = _first_open_task(client.get("/plan").text)
    post(client, f"/plan/tasks/{key}", {"done": "true"})
    page = client.get("/plan").text
    lead = re.search(r"([\d.]+) hours over (\d+) weeks", page)
    assert lead
    md = client.get("/plan.md").text
    assert f"**{float(lead.group(1)):g} hours** over {lead.group(2)} weeks" in md
    assert "- [x] " in md and f"`{key}`" in md
    assert client.get("/plan.json").json()["total_hours"] == float(lead.group(1))


def test_calendar_has_timed_blocks_on_study_days_and_skips_holidays(
    client: TestClient, catalog: Catalog
) -> None:
    # starts 2026-12-21: Christmas Day falls in the first week; Tuesdays are shift days
    from healthpm.domain.holidays import is_holiday

    nurse(client, catalog, off_days="tuesday", has_days="1")
    cal = Calendar.from_ical(client.get("/plan.ics").content)
    events = [c for c in cal.walk("VEVENT")]
    assert events
    plan = client.get("/plan.json").json()
    for event in events:
        start = event.decoded("dtstart")
        assert not isinstance(start, date) or hasattr(start, "hour")  # a time, not all-day
        assert start.weekday() != 1 and not is_holiday(start.date())
        minutes = (event.decoded("dtend") - start).total_seconds() / 60
        assert 15 <= minutes <= 8 * 60
    first = plan["weeks"][0]
    blocks = [e for e in events if e.decoded("dtstart").date().isoformat() <= first["end"]]
    total = sum((e.decoded("dtend") - e.decoded("dtstart")).total_seconds() for e in blocks)
    assert total / 3600 >= first["hours"]  # the week's study time from the plan, rounded up


def test_shift_pattern_and_dates_are_kept_from_the_web_form(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog, off_days="tuesday", off_dates="2027-01-04", has_days="1")
    form = client.get("/onboarding").text
    assert re.search(r'value="tuesday" checked', form)
    assert 'value="2027-01-04"' in form
    plan = client.get("/plan.json").json()
    assert all(date.fromisoformat(d).weekday() != 1 for w in plan["weeks"] for d in w["study_days"])


def test_this_week_comes_first_and_replan_says_what_changed(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog)
    page = client.get("/plan").text
    assert page.index("data-this-week") < page.index("Why this many hours")
    key = _first_open_task(page)
    post(client, f"/plan/tasks/{key}", {"done": "true"})
    r = post(client, "/plan/replan")
    assert r.status_code == 303
    after = client.get(r.headers["location"]).text
    assert "data-replan-changes" in after and "before" in after and "now" in after
    assert "1 task you ticked since the last plan left the schedule" in after


def test_zero_hours_keeps_the_form_with_the_error_beside_the_field(
    client: TestClient, catalog: Catalog
) -> None:
    nurse(client, catalog)
    r = post(client, "/plan/hours", {"hours": 0, "on": "2026-12-22", "note": "read chapter 2"})
    assert r.status_code == 400
    assert 'id="h-hours-err"' in r.text and "more than 0" in r.text
    assert 'value="read chapter 2"' in r.text and "Bad Request" not in r.text


def test_no_terminal_commands_in_the_plan_page(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    page = client.get("/plan").text
    assert "healthpm assess" not in page and "`healthpm" not in page
    assert "healthpm fda" not in page and "healthpm practice" not in page


# ---------------------------------------------------------------- errors beside their field


def test_profile_errors_all_at_once_beside_their_fields_input_kept(client: TestClient) -> None:
    r = post(
        client,
        "/onboarding",
        {
            "name": "   ",
            "background": "nurse",
            "years_experience": "eight",
            "target_level": "product-manager",
            "hours_per_week": 60,
            "start_date": "2027-01-04",
            "current_role": "ICU staff nurse",
        },
    )
    assert r.status_code == 400
    for field in ("p-name-err", "p-years-err", "p-hours-err"):
        assert f'id="{field}"' in r.text, field
    assert "Input should be" not in r.text and "field &#39;" not in r.text
    assert 'value="ICU staff nurse"' in r.text and 'value="eight"' in r.text


def test_empty_answer_keeps_the_question_and_says_so_beside_the_box(
    client: TestClient, catalog: Catalog
) -> None:
    qid = list(catalog.questions)[3]
    r = post(client, "/practice", {"question_id": qid, "answer": "    "})
    assert r.status_code == 400
    assert f'name="question_id" value="{qid}"' in r.text
    assert 'id="answer-err"' in r.text and "Bad Request" not in r.text


def test_fresh_profile_step_links_are_not_live(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    page = client.get("/onboarding?fresh=1").text
    first = next(iter(catalog.themes))
    assert f'href="/onboarding/{first}"' not in page
    assert f'href="/onboarding/{first}"' in client.get("/onboarding").text


# ---------------------------------------------------------------- profiles


def test_profiles_list_and_switch(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    senior(client, catalog)
    page = client.get("/profiles").text
    assert 'data-profile="Maria"' in page and 'data-profile="Alex" data-current' in page
    found = re.search(r'action="/profiles/(\d+)/use"', page)
    assert found
    assert post(client, f"/profiles/{found.group(1)}/use").status_code == 303
    assert 'data-profile="Maria" data-current' in client.get("/profiles").text
    assert client.get("/plan.json").json()["profile"] == "Maria"


# ---------------------------------------------------------------- practice


def test_scoring_button_disables_and_says_why_it_waits(client: TestClient) -> None:
    page = client.get("/practice").text
    assert "data-busy" in page and "hx-disabled-elt" in page
    assert 'class="busy-note"' in page and "Scoring your answer" in page
    assert 'data-word-count="answer-words"' in page


def test_practice_picker_is_a_search_not_a_164_option_dropdown(client: TestClient) -> None:
    page = client.get("/practice").text
    assert 'id="pick"' not in page
    found = client.get("/practice", params={"find": "ICU nurse"}).text
    assert "career-nurse-project-as-launch" in found


def test_bank_shows_best_score_and_last_practised(client: TestClient, catalog: Catalog) -> None:
    qid = "career-nurse-project-as-launch"
    assert post(client, "/practice", {"question_id": qid, "answer": ANSWER}).status_code == 303
    page = client.get("/questions", params={"category": "career-transition"}).text
    card = page[page.index(f'data-question="{qid}"') :]
    assert re.search(r"data-practised>Practised 1 time · best \d\.\d of 5", card)


def test_category_labels_are_readable_and_metrics_merged(client: TestClient) -> None:
    page = client.get("/questions").text
    assert "AI/ML safety" in page and "Privacy &amp; security" in page
    assert "Ai ml safety" not in page and "Metrics outcomes" not in page
    assert page.count(">Metrics &amp; outcomes</option>") == 1


def test_mock_has_a_total_countdown_and_a_per_answer_report(
    client: TestClient, catalog: Catalog
) -> None:
    r = post(client, "/mock", {"minutes": 10})
    url = r.headers["location"]
    page = client.get(url).text
    assert re.search(r'data-deadline="(59\d|600)"', page)
    assert 'data-word-count="mock-words"' in page
    qid = re.search(r'name="question_id" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = post(client, f"{url}/answer", {"question_id": qid, "answer": ANSWER, "time_up": "1"})
    assert r.status_code == 303
    report = client.get(url).text
    assert "End report" in report and "data-mock-answer=" in report
    assert str(escape(catalog.questions[qid].prompt)) in report  # whole, not cut mid-word
    assert "Interview-ready bar" in report


# ---------------------------------------------------------------- catalog pages


def test_pay_table_marks_open_tops_and_names_sources(client: TestClient, catalog: Catalog) -> None:
    page = client.get("/levels").text
    open_tops = [b for b in catalog.salaries.values() if b.open_top and b.high_usd]
    for band in open_tops:
        row = page[page.index(f'data-band="{band.id}"') :]
        assert re.search(r"data-high>\$[\d,]+\+", row), band.id
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", page)


def test_pay_chart_draws_every_range_as_its_own_bar(client: TestClient, catalog: Catalog) -> None:
    svg = client.get("/levels").text
    chart = svg[svg.index("<svg") : svg.index("</svg>")]
    bars = re.findall(r'aria-roledescription="bar"', chart)
    closed = [b for b in catalog.salaries.values() if b.low_usd and b.high_usd]
    assert len(bars) == len(closed)
    tops = [b for b in catalog.salaries.values() if b.low_usd and (b.open_top or not b.high_usd)]
    assert len(re.findall(r'aria-roledescription="point"', chart)) == len(tops)


def test_glossary_finds_510k_like_the_cli(client: TestClient) -> None:
    page = client.get("/glossary", params={"q": "510k"}).text
    assert "510(k)" in page and "0 terms" not in page


def test_favicon(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon"' in client.get("/levels").text


def test_phone_navigation_collapses(client: TestClient) -> None:
    page = client.get("/levels").text
    assert 'class="nav-toggle' in page and 'aria-controls="main-nav"' in page


def test_practice_history_belongs_to_the_profile(client: TestClient, catalog: Catalog) -> None:
    """Alex's dashboard showed Maria's six scores: history was the install's, not the profile's."""
    nurse(client, catalog)
    qid = "career-nurse-project-as-launch"
    for _ in range(2):
        assert post(client, "/practice", {"question_id": qid, "answer": ANSWER}).status_code == 303
    assert client.get("/practice/history").text.count("data-attempt=") == 2
    senior(client, catalog)
    assert "data-attempt=" not in client.get("/practice/history").text
    assert "No answers yet" in client.get("/").text
    bank = client.get("/questions", params={"category": "career-transition"}).text
    assert "data-practised" not in bank


def test_the_wait_says_why_while_the_model_loads(app: Any, client: TestClient) -> None:
    class Cold:
        is_warm = False

        def __call__(self, catalog: Catalog) -> Any:
            return FakeEngine(catalog)

    app.state.engine = Cold()
    page = client.get("/practice").text
    assert "still loading after the start" in page


def test_export_keeps_which_profile_answered(client: TestClient, catalog: Catalog) -> None:
    nurse(client, catalog)
    qid = "career-nurse-project-as-launch"
    assert post(client, "/practice", {"question_id": qid, "answer": ANSWER}).status_code == 303
    exported = client.get("/api/export").json()
    assert [a["profile_name"] for a in exported["attempts"]] == ["Maria"]
