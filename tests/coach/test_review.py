"""Two-way review: coach score beside the automatic one, anchored threaded comments that keep
their formatting, edit/delete, replies, unread badges both ways, drafts never lost, mock
interviews as a unit, graded-data export under consent."""

from __future__ import annotations

import csv
import io
import re

from healthpm.catalog import Catalog
from web.conftest import ClientFactory, post

from .helpers import cohort, share


def _url(c, key: str = "nurse") -> str:  # type: ignore[no-untyped-def]
    return f"/coach/{c.ids[key]}/attempts/{c.attempts[key]}"


def test_attempt_page_names_the_candidate(make_client: ClientFactory, catalog: Catalog) -> None:
    c = cohort(make_client, catalog)
    page = c.coach.get(_url(c)).text
    assert "<title>nadia@cohort.test: answer · healthpm</title>" in page
    assert 'href="#comments"' in page  # a jump link to the review on a long page


def test_line_breaks_and_bullets_survive_and_markup_is_escaped(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    body = "line one\nline two\n\n- bullet a\n- bullet b\n\n<script>alert(1)</script> **key**"
    assert post(c.coach, f"{_url(c)}/comments", {"body": body}).status_code == 303
    page = c.nurse.get(f"/practice/attempts/{c.attempts['nurse']}").text
    assert "<p>line one<br>line two</p>" in page  # B8
    assert "<ul><li>bullet a</li><li>bullet b</li></ul>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<strong>key</strong>" in page


def test_blank_comment_keeps_the_coach_on_the_page(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    r = post(c.coach, f"{_url(c)}/comments", {"body": "   \n  "})
    assert r.status_code == 400  # B9: the attempt page again, with the error by the form
    assert "a comment needs some text" in r.text and 'id="new-comment"' in r.text
    assert "Back to the dashboard" not in r.text


def test_draft_survives_a_revoke(make_client: ClientFactory, catalog: Catalog) -> None:
    c = cohort(make_client, catalog)
    for sid in re.findall(r'data-share="(\d+)"', c.nurse.get("/account").text):
        post(c.nurse, f"/account/shares/{sid}/revoke")
    r = post(c.coach, f"{_url(c)}/comments", {"body": "A long careful note."})
    assert r.status_code == 404 and "A long careful note." in r.text  # B9: draft kept


def test_anchor_reply_unread_badges_edit_delete(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    sentence = "We should drive engagement with streaks and daily push notifications."
    r = post(c.coach, f"{_url(c)}/comments", {"body": "Outcomes first.", "anchor": sentence})
    assert r.status_code == 303
    bad = post(c.coach, f"{_url(c)}/comments", {"body": "x", "anchor": "Not in the answer."})
    assert bad.status_code == 400
    # The candidate sees a badge on the dashboard and the history before opening the answer.
    assert "1 new" in c.nurse.get("/").text
    history = c.nurse.get("/practice/history").text
    assert "1 new comment" in history
    page = c.nurse.get(f"/practice/attempts/{c.attempts['nurse']}").text
    assert f"On “{sentence}”" in page
    assert "1 new" not in c.nurse.get("/").text  # read now
    thread = re.search(r'data-comment="(\d+)"', page)
    assert thread
    parent = thread.group(1)
    r = post(
        c.nurse,
        f"/practice/attempts/{c.attempts['nurse']}/comments",
        {"body": "Fair, I will rework it.", "parent_id": parent},
    )
    assert r.status_code == 303
    # The coach sees the reply as unread in the cohort, then reads it.
    row = c.coach.get("/coach").text.split(f'data-candidate="{c.ids["nurse"]}"')[1]
    assert "1 new reply" in row.split("</tr>")[0]
    assert "Fair, I will rework it." in c.coach.get(_url(c)).text
    row = c.coach.get("/coach").text.split(f'data-candidate="{c.ids["nurse"]}"')[1]
    assert "new reply" not in row.split("</tr>")[0]
    # Edit and delete: only one's own.
    r = post(c.coach, f"{_url(c)}/comments/{parent}/edit", {"body": "Outcomes first, then UX."})
    assert r.status_code == 303
    assert (
        "Outcomes first, then UX." in c.nurse.get(f"/practice/attempts/{c.attempts['nurse']}").text
    )
    assert (
        post(
            c.nurse, f"/practice/attempts/{c.attempts['nurse']}/comments/{parent}/delete"
        ).status_code
        == 404
    )
    assert post(c.coach, f"{_url(c)}/comments/{parent}/delete").status_code == 303
    page = c.nurse.get(f"/practice/attempts/{c.attempts['nurse']}").text
    assert "Outcomes first" not in page and "Fair, I will rework it." not in page


def test_coach_score_reviewed_state_and_graded_export(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    assert "to review" in c.coach.get(f"/coach/{c.ids['nurse']}/practice").text
    r = post(c.coach, f"{_url(c)}/review", {"overall": "2.5", "dim-risk_safety": "2"})
    assert r.status_code == 303
    assert post(c.coach, f"{_url(c)}/review", {"overall": "9"}).status_code == 400
    practice = c.coach.get(f"/coach/{c.ids['nurse']}/practice").text
    assert "reviewed" in practice and "to review" not in practice
    page = c.nurse.get(f"/practice/attempts/{c.attempts['nurse']}").text
    assert "Coach score" in page and "2.5" in page and "Automatic" in page
    rows = list(csv.DictReader(io.StringIO(c.coach.get("/coach/graded.csv").text)))
    assert rows[0]["coach_overall"] == "2.5" and rows[0]["coach_risk_safety"] == "2.0"
    assert rows[0]["consent"] == "no" and rows[0]["answer"] == ""  # no text without consent
    assert c.coach.get("/coach/graded.csv", params={"consented": "true"}).text.count("\n") == 1
    assert post(c.nurse, "/account/grading-consent", {"consent": "true"}).status_code == 303
    rows = list(csv.DictReader(io.StringIO(c.coach.get("/coach/graded.csv?consented=true").text)))
    assert rows[0]["consent"] == "yes" and "clinical workflow" in rows[0]["answer"]


def test_mock_interview_is_shared_as_a_unit(make_client: ClientFactory, catalog: Catalog) -> None:
    c = cohort(make_client, catalog)
    r = post(c.pharmacist, "/mock", {"minutes": 15})
    mock_url = r.headers["location"]
    mock_id = mock_url.rsplit("/", 1)[1]
    page = c.pharmacist.get(mock_url).text
    qid = re.search(r'name="question_id" value="([^"]+)"', page)
    assert qid
    post(
        c.pharmacist,
        f"{mock_url}/answer",
        {"question_id": qid.group(1), "answer": "We measure outcomes against a baseline."},
    )
    post(c.pharmacist, f"{mock_url}/finish")
    practice = c.coach.get(f"/coach/{c.ids['pharmacist']}/practice").text
    assert f"/coach/{c.ids['pharmacist']}/mocks/{mock_id}" in practice
    report = c.coach.get(f"/coach/{c.ids['pharmacist']}/mocks/{mock_id}").text
    assert "End report" in report and "data-mock-report" in report
    share(c.fintech, "practice")  # a new share shows up at once
    assert c.coach.get(f"/coach/{c.ids['fintech']}/practice").status_code == 200
