"""The job matcher: reading postings (text, JSON-LD pages, plain pages, CSV), the level,
credentials, regulatory domains, pay beside the bands, fit and gaps, and its accuracy on
the labelled set (printed, so the test output reports it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from healthpm.catalog import Catalog, get_catalog
from healthpm.domain.jobs.match import match_posting
from healthpm.domain.jobs.posting import read_csv, read_posting
from healthpm.domain.profile import Profile
from healthpm.errors import InvalidInputError
from healthpm.jobs.evaluate import evaluate_manifest

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return get_catalog()


def nurse(target: str = "product-manager") -> Profile:
    return Profile(
        name="Dana",
        background="nurse",
        years_experience=9,
        target_level=target,
        hours_per_week=6,
        start_date=date(2027, 1, 4),
        ratings={"clinical-workflow": 4, "fda-regulatory-strategy": 0, "quality-systems": 1},
    )


def test_labelled_set_accuracy(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    report = evaluate_manifest(HERE / "postings" / "manifest.yaml", catalog)
    with capsys.disabled():
        print(
            f"\njob matcher on {report['postings']} postings: level "
            f"{report['level_accuracy']:.0%}, credentials R {report['licensure']['recall']:.2f}"
            f" P {report['licensure']['precision']:.2f}, regulatory R "
            f"{report['regulatory']['recall']:.2f}, competency recall "
            f"{report['competency_recall']:.2f}"
        )
    assert report["postings"] >= 20
    assert report["level_accuracy"] >= 0.9
    assert report["licensure"]["recall"] >= 0.9 and report["licensure"]["precision"] >= 0.9
    assert report["regulatory"]["recall"] >= 0.9 and report["regulatory"]["precision"] >= 0.9


def test_held_out_set_level_accuracy(catalog: Catalog) -> None:
    report = evaluate_manifest(HERE / "heldout" / "manifest.yaml", catalog)
    assert report["level_within_one"] == 1.0
    assert report["level_accuracy"] >= 0.8


def test_json_ld_page_is_read_with_salary_and_organisation(catalog: Catalog) -> None:
    page = (HERE / "postings" / "03_senior_rpm.html").read_text()
    posting = read_posting(page, name="page.html")
    assert posting.origin == "json-ld"
    assert posting.company == "CardioLoop" and "Minneapolis" in posting.location
    result = match_posting(posting, catalog)
    assert result.level == "senior-pm"
    assert result.salary["posted"]["yearly_low"] == 170000
    bands = result.salary["bands"]
    compared = {b["id"]: b["posted_vs_band"] for b in bands}
    assert bands and set(compared.values()) <= {"below", "within", "overlaps", "above"}
    # 170-205k against a 180-250k+ band: it overlaps the band, it is not inside it
    assert [v for b, v in compared.items() if b == "s-001-senior-pnl"] == ["overlaps"]
    assert {b["source"] for b in bands} >= {bands[0]["source"]}  # each band keeps its source


def test_json_ld_in_a_graph_or_a_list(catalog: Catalog) -> None:
    for name in ("18_director_ai_platform.html", "08_pm_dtx_mental_health.html"):
        posting = read_posting((HERE / "postings" / name).read_text(), name=name)
        assert posting.origin == "json-ld" and posting.title


def test_page_without_json_ld_uses_its_text(catalog: Catalog) -> None:
    posting = read_posting((HERE / "postings" / "05_vp_digital_health.html").read_text())
    assert posting.origin == "html"
    assert "P&L" in posting.text and "<li>" not in posting.text
    assert match_posting(posting, catalog).level == "vp-digital-health"


def test_licensure_required_and_preferred_with_phrase(catalog: Catalog) -> None:
    text = "Product Manager\nRequirements\n- Active RN license\nPreferred\n- CCRN\n"
    found = {lic["id"]: lic for lic in match_posting(read_posting(text), catalog).licensure}
    assert found["rn"]["required"] is True and "RN" in found["rn"]["phrase"]
    assert found["ccrn"]["required"] is False


def test_lowercase_words_are_not_credentials(catalog: Catalog) -> None:
    text = "Product Manager\nWe turn workflows into products; md files and rn logs are fine."
    assert match_posting(read_posting(text), catalog).licensure == []


def test_hourly_pay_is_turned_into_a_year(catalog: Catalog) -> None:
    posting = read_posting((HERE / "postings" / "09_clinical_product_specialist.txt").read_text())
    assert posting.salary is not None and posting.salary.unit == "HOUR"
    assert posting.salary.yearly() == (42 * 2080, 52 * 2080)


def test_fit_and_gaps_with_a_profile(catalog: Catalog) -> None:
    posting = read_posting((HERE / "postings" / "03_senior_rpm.html").read_text(), name="p.html")
    result = match_posting(posting, catalog, nurse())
    assert result.fit is not None and 0 <= result.fit <= 100
    gaps = {g["id"] for g in result.gaps}
    assert "fda-regulatory-strategy" in gaps and "clinical-workflow" not in gaps
    assert "rn" not in gaps  # a nurse holds the RN the posting prefers
    assert any("level" in line for line in result.explanation)


def test_required_credential_the_profile_lacks_costs_fit(catalog: Catalog) -> None:
    text = "Product Manager\nRequirements\n- PharmD required\n- 3+ years of product experience"
    with_req = match_posting(read_posting(text), catalog, nurse())
    without = match_posting(read_posting(text.replace("- PharmD required\n", "")), catalog, nurse())
    assert with_req.fit is not None and without.fit is not None
    assert without.fit - with_req.fit == 25
    assert with_req.gaps[0] == {
        "kind": "licensure",
        "id": "pharmd",
        "name": "Pharmacist (PharmD/RPh)",
        "required": True,
    }


def test_csv_of_postings(catalog: Catalog) -> None:
    data = (
        "title,description,company\n"
        '"Senior PM, RPM","Own the roadmap. 5+ years of product management. RN preferred.",A\n'
        '"APM","Support PMs with user research. 0-1 years of experience.",B\n'
    )
    rows = read_csv(data)
    assert [r.company for r in rows] == ["A", "B"] and rows[0].origin == "csv"
    with pytest.raises(InvalidInputError, match="'title' and a 'description'"):
        read_csv("name,text\nx,y\n")


def test_empty_posting_is_one_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        read_posting("   \n ")
