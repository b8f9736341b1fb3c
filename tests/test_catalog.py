"""The knowledge base loads, meets its minimums, and every cross-reference resolves."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from healthpm.catalog import KINDS, Catalog, check_references, content_dir, load_catalog
from healthpm.domain.content import FLAG_IDS
from healthpm.errors import ContentError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PRODUCT_CODES = SHARED / "data/openfda-samples/reference/product-classification-2019-07.csv"


def _ids(text: str) -> set[str]:
    """A set of ids from a space-separated string (keeps the fixed-id lists compact)."""
    return set(text.split())


LEVELS = ["associate-pm", "product-manager", "senior-pm", "group-pm-director", "vp-digital-health"]
THEMES = {
    "product-craft": _ids(
        "product-discovery prioritization-roadmapping product-strategy execution-delivery"
        " ux-research-design"
    ),
    "healthcare-domain": _ids(
        "clinical-workflow clinical-fluency reimbursement-payer care-ecosystem"
    ),
    "regulatory-privacy-safety": _ids(
        "fda-regulatory-strategy hipaa-privacy clinical-risk-management quality-systems"
    ),
    "data-evidence-outcomes": _ids(
        "product-analytics clinical-evidence safe-experimentation health-equity"
    ),
    "stakeholders-leadership": _ids(
        "stakeholder-alignment clinician-co-design executive-communication people-leadership"
        " business-strategy change-management"
    ),
    "technical-literacy": _ids("interoperability ai-ml-literacy security technical-architecture"),
}
SUBDOMAINS = _ids(
    "remote-patient-monitoring clinical-decision-support prior-authorization telehealth"
    " digital-therapeutics revenue-cycle ai-diagnostics interoperability-platforms mental-health"
    " diabetes-technology value-based-care medication-management"
)
BACKGROUNDS = _ids(
    "tech-pm-early tech-pm-mid senior-pm-leader healthtech-pm nurse pharmacist physician"
    " other-clinician life-science-research adjacent-industry"
)
REQUIRED_TERMS = _ids(
    "hipaa baa phi covered-entity minimum-necessary de-identification samd 510k de-novo pma"
    " predicate-device substantial-equivalence device-class-i device-class-ii device-class-iii"
    " pre-submission pccp qmsr iec-62304 iso-14971 maude mdr clia fhir hl7-v2 cda smart-on-fhir"
    " uscdi tefca information-blocking cpt icd-10-cm hcpcs rpm value-based-care aco"
    " prior-authorization rcm cds ehr alert-fatigue real-world-evidence cures-act hitech onc-astp"
    " cms payer pbm"
)
#: The files this knowledge base owns (questions are written elsewhere).
OWN_FILES = [name for kind, (name, _) in KINDS.items() if kind != "questions"]


def _own_copy(tmp_path: Path) -> Path:
    """A copy of the shipped content with an empty questions folder."""
    root = tmp_path / "content"
    root.mkdir()
    for name in OWN_FILES:
        if (content_dir() / name).is_dir():
            shutil.copytree(content_dir() / name, root / name)
        else:
            shutil.copy(content_dir() / name, root / name)
    (root / "questions").mkdir()
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """The knowledge base without questions, so other files cannot mask its own errors."""
    return load_catalog(_own_copy(tmp_path))


def test_shipped_catalog_loads_with_questions() -> None:
    counts = load_catalog().counts()
    assert set(counts) == set(KINDS)


def test_counts_meet_minimums(catalog: Catalog) -> None:
    counts = catalog.counts()
    assert counts["levels"] >= 5
    assert counts["competencies"] >= 24
    assert counts["backgrounds"] >= 9
    assert counts["subdomains"] >= 10
    assert counts["glossary"] >= 50
    assert counts["resources"] >= 40
    assert counts["checklists"] >= 4
    assert counts["mistakes"] >= len(FLAG_IDS) + 8


def test_fixed_ids_are_all_present(catalog: Catalog) -> None:
    assert [lv.id for lv in catalog.levels_ascending()] == LEVELS
    assert [lv.order for lv in catalog.levels_ascending()] == list(range(5))
    assert set(catalog.themes) == set(THEMES)
    for theme, ids in THEMES.items():
        assert {c.id for c in catalog.competencies.values() if c.theme == theme} == ids
    assert set(catalog.subdomains) == SUBDOMAINS
    assert set(catalog.backgrounds) == BACKGROUNDS
    assert set(catalog.flags) == set(FLAG_IDS)


def test_every_competency_has_must_have_resource_and_level_text(catalog: Catalog) -> None:
    covered = {cid for r in catalog.resources.values() for cid in r.competencies}
    for comp in catalog.competencies.values():
        assert comp.must_have, comp.id
        assert comp.resources, comp.id
        assert comp.id in covered, f"no resource lists {comp.id}"
        assert set(comp.meets) == set(LEVELS), comp.id
        for level in comp.must_have:
            assert comp.expected[level] >= 2, f"{comp.id} must-have at {level} below Practicing"


def test_must_haves_per_level_stay_focused(catalog: Catalog) -> None:
    per_level = Counter(lv for c in catalog.competencies.values() for lv in c.must_have)
    for level in LEVELS:
        assert 3 <= per_level[level] <= 6, (level, per_level[level])


def test_people_leadership_rises_with_level(catalog: Catalog) -> None:
    expected = catalog.competencies["people-leadership"].expected
    assert expected["associate-pm"] <= 1
    assert expected["group-pm-director"] >= 3
    for cid in ("hipaa-privacy", "clinical-workflow"):
        assert "associate-pm" in catalog.competencies[cid].must_have


def test_every_reference_resolves(catalog: Catalog) -> None:
    assert list(check_references(catalog)) == []


def test_each_flag_has_its_own_mistake(catalog: Catalog) -> None:
    for flag_id in FLAG_IDS:
        assert catalog.flags[flag_id].mistake == flag_id
        assert catalog.mistakes[flag_id].flag == flag_id


def test_salary_bands_are_single_source_and_ordered(catalog: Catalog) -> None:
    seen = set()
    for band in catalog.salaries.values():
        assert re.match(r"^s-\d{3}-", band.id), band.id
        assert band.low_usd is not None and band.high_usd is not None
        assert band.low_usd <= band.high_usd, band.id
        assert band.source.count(".txt") == 1, f"{band.id} must cite exactly one seed"
        key = (band.source, band.level, band.company_type)
        assert key not in seen, f"duplicate band {key}"
        seen.add(key)


def test_glossary_has_required_terms(catalog: Catalog) -> None:
    assert set(catalog.glossary) >= REQUIRED_TERMS


def test_transitions_cover_every_background(catalog: Catalog) -> None:
    covered = {b for t in catalog.transitions.values() for b in t.backgrounds}
    assert covered == BACKGROUNDS


@pytest.mark.skipif(not PRODUCT_CODES.exists(), reason="openFDA reference table not present")
def test_subdomain_product_codes_exist_in_fda_table(catalog: Catalog) -> None:
    with PRODUCT_CODES.open(encoding="utf-8") as fh:
        known = {row["product_code"] for row in csv.DictReader(fh)}
    for sub in catalog.subdomains.values():
        for code in sub.product_codes:
            assert re.fullmatch(r"[A-Z]{3}", code), (sub.id, code)
            assert code in known, (sub.id, code)
    for non_device in ("prior-authorization", "revenue-cycle", "value-based-care"):
        assert catalog.subdomains[non_device].product_codes == []


def _rewrite(path: Path, edit: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_bad_value_names_file_and_key(tmp_path: Path) -> None:
    root = _own_copy(tmp_path)

    def bump(data: list[dict[str, object]]) -> None:
        data[0]["expected"]["senior-pm"] = 7  # type: ignore[index]

    _rewrite(root / "competencies.yaml", bump)
    with pytest.raises(ContentError) as err:
        load_catalog(root)
    assert "competencies.yaml" in str(err.value)
    assert "expected.senior-pm" in str(err.value)


def test_broken_reference_names_file_and_entry(tmp_path: Path) -> None:
    root = _own_copy(tmp_path)

    def dangle(data: list[dict[str, object]]) -> None:
        data[0]["resources"] = ["no-such-resource"]

    _rewrite(root / "competencies.yaml", dangle)
    with pytest.raises(ContentError) as err:
        load_catalog(root)
    assert "competencies.yaml" in str(err.value)
    assert "no-such-resource" in str(err.value)


def test_invalid_yaml_names_file(tmp_path: Path) -> None:
    root = _own_copy(tmp_path)
    bad = root / "glossary" / "a_core.yaml"
    bad.write_text("- id: x\n  term: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="glossary/a_core.yaml"):
        load_catalog(root)
