"""The coach's home: one row per candidate (sharing nothing included), filters, sort, CSV;
the plan share carries the assessment; analytics; coaches land on /coach with their nav."""

from __future__ import annotations

import csv
import io
import re

from healthpm.catalog import Catalog
from web.conftest import ClientFactory, post

from .helpers import cohort


def test_coach_lands_on_the_cohort_with_its_own_nav(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    r = c.coach.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/coach"
    page = c.coach.get("/coach").text
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/coach/analytics"' in nav and 'href="/onboarding"' not in nav
    # A candidate keeps the candidate nav and cannot open coach pages.
    assert 'href="/coach/analytics"' not in c.nurse.get("/").text
    assert c.nurse.get("/coach").status_code == 404


def test_one_row_per_candidate_with_what_each_shares(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    page = c.coach.get("/coach").text
    rows = re.findall(r'<tr data-candidate="(\d+)"', page)
    assert sorted(map(int, rows)) == sorted(c.ids.values())  # no duplicates, nobody missing
    fintech = page.split(f'data-candidate="{c.ids["fintech"]}"', 1)[1].split("</tr>", 1)[0]
    assert "shares nothing yet" in fintech
    nurse = page.split(f'data-candidate="{c.ids["nurse"]}"', 1)[1].split("</tr>", 1)[0]
    assert "% done" in nurse and "1 answer" in nurse and re.search(r"\d+%", nurse)
    pharmacist = page.split(f'data-candidate="{c.ids["pharmacist"]}"', 1)[1].split("</tr>")[0]
    assert "1 answer" in pharmacist and "% done" not in pharmacist  # plan not shared


def test_search_filters_sort_and_csv(make_client: ClientFactory, catalog: Catalog) -> None:
    c = cohort(make_client, catalog)
    only = c.coach.get("/coach", params={"q": "priya"}).text
    assert re.findall(r'data-candidate="(\d+)"', only) == [str(c.ids["pharmacist"])]
    nothing = c.coach.get("/coach", params={"shares": "none"}).text
    assert re.findall(r'data-candidate="(\d+)"', nothing) == [str(c.ids["fintech"])]
    todo = c.coach.get("/coach", params={"status": "unreviewed", "sort": "unreviewed"}).text
    assert set(re.findall(r'data-candidate="(\d+)"', todo)) == {
        str(c.ids["nurse"]),
        str(c.ids["pharmacist"]),
    }
    r = c.coach.get("/coach/cohort.csv")
    assert r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == 3
    by_email = {row["email"]: row for row in table}
    assert by_email["marcus@cohort.test"]["shares"] == "nothing"
    assert by_email["marcus@cohort.test"]["attempts"] == ""
    assert by_email["nadia@cohort.test"]["shares"] == "plan+practice"
    assert by_email["nadia@cohort.test"]["plan_percent"] != ""
    assert by_email["priya@cohort.test"]["unreviewed"] == "1"


def test_plan_share_shows_the_assessment_status_and_speaks_to_the_coach(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    page = c.coach.get(f"/coach/{c.ids['nurse']}/plan").text
    for part in ("Readiness by level", "Costliest gaps", "Self-ratings and evidence"):
        assert part in page
    assert "data-plan-status" in page and ("On track" in page or "Behind by" in page)
    assert f'href="/coach/{c.ids["nurse"]}/practice"' in page  # plan and practice linked
    assert "your gaps" not in page.lower() and "healthpm assess" not in page  # B12
    assert 'class="sr-only">Not done:' in page  # B13: done state has text, not only a mark
    assert c.coach.get(f"/coach/{c.ids['pharmacist']}/plan").status_code == 404
    assert c.coach.get(f"/coach/{c.ids['fintech']}/practice").status_code == 404


def test_analytics_heat_map_counts_only_candidates_sharing_practice(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    page = c.coach.get("/coach/analytics").text
    assert "<svg" in page and "Weakest dimensions" in page
    assert "2 candidates" in page  # nurse and pharmacist; the fintech PM shares nothing
    assert "growth" in page.lower()  # the engagement flag of the shared answers
    assert "Risk &amp; safety" in page and "Risk safety" not in page  # titles, not ids
    r = c.coach.get("/coach/analytics.csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["id", "name", "structure"] and len(rows) == 3
    assert str(c.ids["fintech"]) not in {row[0] for row in rows[1:]}


def test_assign_a_question_to_the_cohort_shows_on_dashboards(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    qid = list(catalog.questions)[3]
    r = post(
        c.coach,
        "/coach/assignments",
        {"candidate": "all", "kind": "question", "question_id": qid, "note": "before Friday"},
    )
    assert r.status_code == 303
    assert "before Friday" in c.nurse.get("/").text
    assert "before Friday" in c.pharmacist.get("/").text
    assert "before Friday" not in c.fintech.get("/").text  # shares nothing: not in the cohort
    post(c.nurse, "/practice", {"question_id": qid, "answer": "A short answer about it."})
    assert "before Friday" not in c.nurse.get("/").text  # answered: done
    assert "done " in c.coach.get("/coach/assignments").text


def test_multi_user_practice_page_does_not_claim_nothing_leaves_the_machine(
    make_client: ClientFactory, catalog: Catalog
) -> None:
    c = cohort(make_client, catalog)
    page = c.nurse.get("/practice").text
    assert "nothing leaves it" not in page and "computed on this server" in page
