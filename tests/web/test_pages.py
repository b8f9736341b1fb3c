"""Pages render, work without JavaScript, and carry the stable test hooks."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from healthpm.web.rendering import RenderCache

from .conftest import ClientFactory, onboard, post

ANSWER = (
    "I would start with the clinical workflow and the nurses who triage alerts. "
    "We should drive engagement with streaks and push notifications. "
    "Success means fewer missed deteriorations, measured against a baseline."
)


def test_catalog_pages_render(client: TestClient, catalog: Catalog) -> None:
    for url in ("/levels", "/glossary", "/questions", "/docs"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["vary"] == "HX-Request"
        assert '<a class="skip-link" href="#main">' in r.text
    qid = next(iter(catalog.questions))
    r = client.get(f"/questions/{qid}")
    assert r.status_code == 200
    assert "Talking points" in r.text and "Model answer" in r.text and "Follow-ups" in r.text


def test_levels_page_shows_bands_with_sources_or_says_none(
    client: TestClient, catalog: Catalog
) -> None:
    html = client.get("/levels").text
    for band in catalog.salaries.values():
        assert f'data-band="{band.id}"' in html
        assert str(band.year) in html
    if catalog.salaries:
        assert "<svg" in html
    without = [
        lv for lv in catalog.levels if not any(b.level == lv for b in catalog.salaries.values())
    ]
    if without:
        assert "No sourced pay range exists for this level" in html


def test_question_filters_and_htmx_fragment(client: TestClient, catalog: Catalog) -> None:
    question = next(iter(catalog.questions.values()))
    r = client.get("/questions", params={"category": question.category})
    shown = re.findall(r'data-question="([^"]+)"', r.text)
    assert question.id in shown
    assert all(catalog.questions[q].category == question.category for q in shown)
    r = client.get("/questions", params={"q": "zzzz-no-such-text"})
    assert "No question matches" in r.text
    r = client.get(
        "/questions", params={"level": question.levels[0]}, headers={"HX-Request": "true"}
    )
    assert "<html" not in r.text and "data-question" in r.text


def test_glossary_search(client: TestClient, catalog: Catalog) -> None:
    term = next(iter(catalog.glossary.values()))
    html = client.get("/glossary", params={"q": term.term}).text
    assert f'id="term-{term.id}"' in html


def test_catalog_content_is_shared_but_the_layout_is_each_users(
    make_client: ClientFactory,
) -> None:
    ana, ben = make_client("ana@example.org"), make_client("ben@example.org")
    pages = {url: (ana.get(url).text, ben.get(url).text) for url in ("/questions", "/levels")}
    for url, (for_ana, for_ben) in pages.items():
        assert "ana@example.org" in for_ana and "ana@example.org" not in for_ben, url
        main = re.compile(r"<main.*</main>", re.S)
        assert main.search(for_ana).group(0) == main.search(for_ben).group(0), url  # type: ignore[union-attr]
    filtered = ben.get("/questions", params={"q": "zzzz-no-such-text"}).text
    assert "No question matches" in filtered and "ben@example.org" in filtered


def test_render_cache_keeps_the_newest_and_reuses_them() -> None:
    cache = RenderCache(size=2)
    made: list[str] = []

    def make(text: str) -> str:
        made.append(text)
        return f"<p>{text}</p>"

    assert cache.get("a", lambda: make("a")) == "<p>a</p>"
    cache.get("a", lambda: make("again"))
    cache.get("b", lambda: make("b"))
    cache.get("c", lambda: make("c"))  # "a" is the oldest: dropped
    cache.get("a", lambda: make("a2"))
    assert made == ["a", "b", "c", "a2"]


def test_errors_render_as_pages_and_json(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.text
    r = client.get("/questions/no-such-question")
    assert r.status_code == 404 and "unknown question id" in r.text
    r = client.get("/api/questions/no-such-question")
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFoundError"


def test_new_user_goes_through_onboarding_to_dashboard(
    client: TestClient, catalog: Catalog
) -> None:
    assert "Start: your profile" in client.get("/").text
    first_theme = next(iter(catalog.themes))
    page = client.get("/onboarding").text
    assert 'for="p-background"' in page
    onboard(client, catalog)
    theme_page = client.get(f"/onboarding/{first_theme}").text
    competency = next(c for c in catalog.competencies.values() if c.theme == first_theme)
    assert competency.evidence_markers[0] in theme_page
    html = client.get("/").text
    for level in catalog.levels:
        assert re.search(rf'data-readiness="{level}">\d+<', html), level
    assert "<svg" in html


def test_profile_errors_rerender_the_form(client: TestClient) -> None:
    r = post(
        client,
        "/onboarding",
        {
            "name": "X",
            "background": "astronaut",
            "years_experience": 3,
            "target_level": "senior-pm",
            "hours_per_week": 5,
            "start_date": "2027-01-04",
        },
    )
    assert r.status_code == 400 and "background" in r.text


def test_plan_tick_log_replan_and_downloads(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    html = client.get("/plan").text
    key = re.search(r'data-task="([^"]+)" data-done="false"', html).group(1)  # type: ignore[union-attr]
    assert post(client, f"/plan/tasks/{key}", {"done": "true"}).status_code == 303
    assert f'data-task="{key}" data-done="true"' in client.get("/plan").text
    r = client.post(
        f"/plan/tasks/{key}",
        data={"done": "false", "csrf_token": client.cookies["healthpm_csrf"]},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "<html" not in r.text and 'data-done="false"' in r.text
    assert (
        post(client, "/plan/hours", {"hours": 1.5, "on": "2027-01-05", "task_key": key}).status_code
        == 303
    )
    assert post(client, "/plan/replan").status_code == 303
    ics = client.get("/plan.ics")
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    assert client.get("/plan.md").text.startswith("# ")
    assert client.get("/plan.json").json()["weeks"]


def test_practice_feedback_marks_flag_evidence(client: TestClient, catalog: Catalog) -> None:
    qid = next(iter(catalog.questions))
    assert "Score my answer" in client.get("/practice").text
    r = post(client, "/practice", {"question_id": qid, "answer": ANSWER, "time_taken_s": 95})
    assert r.status_code == 303
    html = client.get(r.headers["location"]).text
    assert re.search(r'data-overall="\d\.\d"', html)
    assert 'data-flag="growth-framing"' in html
    assert re.search(r"<mark[^>]*>We should drive engagement with streaks", html)
    assert "Better:" in html
    history = client.get("/practice/history").text
    assert "data-attempt=" in history


def test_practice_feedback_shows_topic_basis_and_why_this_score(
    client: TestClient, catalog: Catalog
) -> None:
    qid = next(iter(catalog.questions))
    answer = ANSWER + " This part is off topic."
    r = post(client, "/practice", {"question_id": qid, "answer": answer, "time_taken_s": 60})
    html = client.get(r.headers["location"]).text
    assert 'data-on-topic="false"' in html and "does not address the question" in html
    assert 'data-basis="bank"' in html
    assert "Why this score" in html and 'data-part="content"' in html
    assert 'href="/docs/feedback"' in html
    doc = client.get("/docs/feedback")
    assert doc.status_code == 200 and "How far to trust" in doc.text


def test_dashboard_and_history_draw_the_score_trend_after_two_answers(
    client: TestClient, catalog: Catalog
) -> None:
    onboard(client, catalog)
    qids = list(catalog.questions)[:2]
    assert "Answer your first question" in client.get("/").text
    for qid in qids:
        assert post(client, "/practice", {"question_id": qid, "answer": ANSWER}).status_code == 303
    scores = [a["overall"] for a in client.get("/api/practice/attempts").json()]
    dashboard = client.get("/").text
    assert f"Last score: <strong>{scores[0]:.1f}</strong> of 5 over 2 recent attempts" in dashboard
    for page in (dashboard, client.get("/practice/history").text):
        assert re.search(r'aria-label="Line chart of[^"]*"><svg', page)


def test_practice_asks_before_storing_phi(client: TestClient, catalog: Catalog) -> None:
    qid = next(iter(catalog.questions))
    answer = "Patient John Smith, DOB 03/14/1961, MRN 00123456, was readmitted twice."
    r = post(client, "/practice", {"question_id": qid, "answer": answer})
    assert r.status_code == 400 and "protected health information" in r.text
    r = post(client, "/practice", {"question_id": qid, "answer": answer, "phi": "redact"})
    assert r.status_code == 303
    assert "00123456" not in client.get(r.headers["location"]).text


def test_mock_interview_end_report(client: TestClient, catalog: Catalog) -> None:
    r = post(client, "/mock", {"minutes": 10})
    assert r.status_code == 303
    url = r.headers["location"]
    page = client.get(url).text
    qid = re.search(r'name="question_id" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert post(client, f"{url}/answer", {"question_id": qid, "answer": ANSWER}).status_code == 303
    assert post(client, f"{url}/finish").status_code == 303
    report = client.get(url).text
    assert "End report" in report and "data-overall=" in report


def test_account_page_single_user(client: TestClient) -> None:
    assert client.get("/account").status_code == 200
    assert client.get("/signin").status_code == 404  # no accounts in single-user mode


def test_every_response_has_security_headers_and_one_csrf_cookie(app: FastAPI) -> None:
    client = TestClient(app)  # a first visit: no cookie yet
    first = client.get("/levels")
    (cookie,) = [h for h in first.headers.get_list("set-cookie") if h.startswith("healthpm_csrf=")]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; https requests get Secure
    for url in ("/levels", "/static/app.css", "/no/such/page", "/api/questions"):
        r = client.get(url)
        assert r.headers["x-frame-options"] == "DENY", url
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert "script-src 'self'" in r.headers["content-security-policy"], url
        assert "healthpm_csrf=" not in r.headers.get("set-cookie", ""), url  # kept, not renewed


def test_a_flag_not_counted_because_its_sentence_reads_as_another_says_so(
    client: TestClient, catalog: Catalog
) -> None:
    qid = next(iter(catalog.questions))
    answer = ANSWER + " Overall engagement is up, so it works."
    r = post(client, "/practice", {"question_id": qid, "answer": answer})
    html = client.get(r.headers["location"]).text
    assert 'data-possible-flag="equity-blind"' in html
    growth = catalog.flags["growth-framing"].name
    assert f"(this sentence is read as {growth})" in html
