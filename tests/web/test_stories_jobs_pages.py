"""Story bank, job match and second-opinion pages: write, see, edit, delete; paste and upload
postings; coaches see stories only when shared; the reviewer's request is shown."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.domain.stories.tagging import StoryTagger

from .conftest import ClientFactory, csrf, onboard, post

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from practice.reviewer_server import fake_reviewer  # noqa: E402
from stories.conftest import WordEncoder  # noqa: E402

POSTINGS = Path(__file__).resolve().parents[1] / "jobs" / "postings"
PARTS = {
    "title": "Sepsis alerts",
    "situation": "As charge nurse on a 28-bed ICU I coordinated with physicians, pharmacy and "
    "families, and our sepsis alerts fired so often that nurses ignored them.",
    "task": "My goal was to cut false alarms without missing sepsis.",
    "action": "I led unit super-user training for the EHR go-live.",
    "result": "Overrides fell from 85% to 40% in three months.",
}


@pytest.fixture(autouse=True)
def word_tagger(app: FastAPI, multi_app: FastAPI, catalog: Catalog) -> None:
    tagger = StoryTagger(catalog, WordEncoder())
    app.state.story_tagger = tagger
    multi_app.state.story_tagger = tagger


def test_write_see_edit_and_delete_a_story(client: TestClient) -> None:
    r = post(client, "/stories", PARTS | {"background": "nurse"})
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "What it proves" in page and "Change management" in page
    assert "super-user training" in page and "In product words" in page
    sid = r.headers["location"].rsplit("/", 1)[1]
    edited = post(client, f"/stories/{sid}", PARTS | {"result": "Nobody measured it."})
    assert edited.status_code == 303
    assert "the result has no number" in client.get(f"/stories/{sid}").text
    assert "Sepsis alerts" in client.get("/stories").text
    assert post(client, f"/stories/{sid}/delete").status_code == 303
    assert client.get(f"/stories/{sid}").status_code == 404


def test_free_text_story_and_phi_asks_first(client: TestClient) -> None:
    text = "I cared for John Smith (MRN 12345678). I led the handoff redesign with nurses."
    r = post(client, "/stories", {"free_text": text})
    assert r.status_code == 400 and "protected health information" in r.text
    assert "John Smith" in r.text  # the form keeps what was typed
    r = post(client, "/stories", {"free_text": text, "phi": "redact"})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "John" not in page and "missing" in page


def test_gaps_show_and_go_into_the_plan(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    assert post(client, "/stories", PARTS).status_code == 303
    page = client.get("/stories").text
    assert "What no story proves yet" in page
    r = post(client, "/stories-gaps/plan")
    assert r.status_code == 303 and r.headers["location"] == "/plan"
    assert "Story to write" in client.get("/plan").text


def test_practice_of_a_behavioral_question_offers_matching_stories(
    client: TestClient, catalog: Catalog
) -> None:
    behavioral = next(q for q in catalog.questions.values() if q.category == "behavioral")
    # Written in the question's own words, so the word-overlap encoder matches them.
    told = PARTS | {"situation": behavioral.prompt, "action": " ".join(behavioral.talking_points)}
    r = post(client, "/stories", told)
    story = client.get(r.headers["location"]).text
    assert f"/practice?question_id={behavioral.id}" in story
    page = client.get(f"/practice?question_id={behavioral.id}").text
    assert "Your stories for this question" in page and "Sepsis alerts" in page
    other = next(q for q in catalog.questions.values() if q.category == "regulatory")
    assert (
        "Your stories for this question" not in client.get(f"/practice?question_id={other.id}").text
    )


def test_paste_and_upload_postings(client: TestClient) -> None:
    text = (POSTINGS / "02_pm_rcm.txt").read_text()
    r = post(client, "/jobs", {"posting": text})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Product Manager" in page and "Medical coding certification" in page
    html = (POSTINGS / "03_senior_rpm.html").read_bytes()
    files = {"file": ("senior.html", html, "text/html")}
    r = client.post("/jobs", data={"csrf_token": csrf(client)}, files=files, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Senior Product Manager" in page and "JobPosting" in page and "510(k)" in page
    csv = b"title,description\nAPM,Support PMs. 0-1 years of experience.\n"
    r = client.post(
        "/jobs", data={"csrf_token": csrf(client)}, files={"file": ("p.csv", csv, "text/csv")}
    )
    assert r.status_code == 200 and "ranked by fit" in r.text


def test_empty_posting_is_a_400_page(client: TestClient) -> None:
    r = post(client, "/jobs", {"posting": "  "})
    assert r.status_code == 400 and "paste a posting" in r.text


def test_coach_sees_stories_only_when_shared(make_client: ClientFactory) -> None:
    ana = make_client("ana@example.org")
    coach = make_client("coach@example.org", role="coach")
    sid = post(ana, "/stories", PARTS).headers["location"].rsplit("/", 1)[1]
    post(ana, "/jobs", {"posting": (POSTINGS / "02_pm_rcm.txt").read_text()})
    assert coach.get(f"/coach/1/stories/{sid}").status_code == 404
    post(ana, "/account/shares", {"coach_email": "coach@example.org", "kind": "practice"})
    home = coach.get("/coach").text
    owner = re.search(r"/coach/(\d+)/practice", home).group(1)  # type: ignore[union-attr]
    assert coach.get(f"/coach/{owner}/stories").status_code == 404
    post(ana, "/account/shares", {"coach_email": "coach@example.org", "kind": "stories"})
    assert "Sepsis alerts" in coach.get(f"/coach/{owner}/stories").text
    story = coach.get(f"/coach/{owner}/stories/{sid}").text
    assert "What it proves" in story and "Delete this story" not in story
    assert "Revenue Cycle" in coach.get(f"/coach/{owner}/jobs").text


def test_second_opinion_on_the_feedback_page(
    app: FastAPI, client: TestClient, catalog: Catalog, settings: Settings
) -> None:
    qid = next(iter(catalog.questions))
    answer = "I treated John Smith (MRN 12345678). We mapped the workflow with nurses."
    r = post(client, "/practice", {"question_id": qid, "answer": answer, "phi": "keep"})
    attempt = r.headers["location"]
    assert "Second opinion" not in client.get(attempt).text  # off by default
    with fake_reviewer() as server:
        app.state.settings = settings.model_copy(
            update={"reviewer_url": server.url, "reviewer_model": "fake-llm"}
        )
        assert "Ask for a second opinion" in client.get(attempt).text
        r = post(client, f"{attempt}/review")
        assert r.status_code == 303
        page = client.get(attempt).text
    assert "3.5 / 5" in page and "What was sent, and where" in page
    assert f"{server.url}/v1/chat/completions" in page
    sent = page.split("What was sent, and where")[1].split("</details>")[0]
    assert "John Smith" not in sent and "[NAME]" in sent
    assert "John" not in str(server.requests)
    with fake_reviewer("malformed") as server:
        app.state.settings = settings.model_copy(
            update={"reviewer_url": server.url, "reviewer_model": "fake-llm"}
        )
        assert post(client, f"{attempt}/review").status_code == 303
        page = client.get(attempt).text
    assert "no second opinion" in page


def test_story_tagging_uses_the_scoring_worker_when_there_is_one(catalog: Catalog) -> None:
    from healthpm.web.routes.stories import get_tagger

    class Worker:
        def tag(self, story: object) -> tuple[list[object], list[object], list[object]]:
            return [], [], []

    worker = Worker()
    assert get_tagger(None, catalog, worker) is worker  # type: ignore[arg-type]
