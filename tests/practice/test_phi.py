"""PHI guard: finds identifiers pasted from real cases, stays quiet on ordinary answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from healthpm.catalog import content_dir
from healthpm.practice.phi import find_phi, mask, redact, warnings_for

SHARED = Path(__file__).resolve().parents[3] / "shared"

POSITIVE = [
    ("John Smith, DOB 3/4/1961, came in with chest pain.", {"name", "date"}),
    ("Mrs. Alvarez admitted 02/11/2024 with heart failure.", {"name", "date"}),
    ("Mr. Okafor was admitted on 2024-02-11 after a fall.", {"name", "date"}),
    ("The patient, born March 4, 1961, missed two visits.", {"date"}),
    ("I pulled MRN 00482913 from the chart.", {"mrn"}),
    ("Her medical record number: 1234567 was on the printout.", {"mrn"}),
    ("Look up patient ID 99887766 in Epic.", {"mrn"}),
    ("Call her at (617) 555-0142 tomorrow.", {"phone"}),
    ("Text +1 212 555 0199 when the device ships.", {"phone"}),
    ("Email jane.doe@example.com the results.", {"email"}),
    ("She lives at 42 Maple Street, Apt 3 near the clinic.", {"address"}),
    ("His SSN is 123-45-6789.", {"ssn"}),
]

NEGATIVE = [
    "We billed CPT 99457 and 99458 for 30 days of monitoring.",
    "The device is Class II, cleared through a 510(k) with predicate K123456.",
    "Readmissions fell from 18% to 12% over 90 days across 1,200 patients.",
    "In March 2024 we launched; by Q3 2025 we reached 3,400 clinics.",
    "Dr. Chen, our CMO, co-designed the alert thresholds with nurses.",
    "Our Product Manager admitted the roadmap slipped by two sprints.",
    "HIPAA requires a BAA, access controls, audit logs and the minimum necessary standard.",
    "We set alert thresholds at SpO2 below 92 for 10 minutes, about 3 alerts per 100 patients.",
]


@pytest.mark.parametrize(("text", "kinds"), POSITIVE)
def test_finds_identifiers(text: str, kinds: set[str]) -> None:
    assert {f.kind for f in find_phi(text)} == kinds


@pytest.mark.parametrize(("text", "kinds"), POSITIVE)
def test_redact_replaces_every_finding(text: str, kinds: set[str]) -> None:
    redacted = redact(text)
    for finding in find_phi(text):
        assert finding.text not in redacted
    for kind in kinds:
        assert f"[{kind.upper()}]" in redacted
    assert find_phi(redacted) == []


def test_redact_keeps_the_rest_of_the_sentence() -> None:
    text = "John Smith, DOB 3/4/1961, called from (617) 555-0142 about MRN 00482913."
    assert redact(text) == "[NAME], DOB [DATE], called from [PHONE] about MRN [MRN]."


def test_warnings_are_masked() -> None:
    warnings = warnings_for("John Smith, DOB 3/4/1961; MRN 00482913; jane.doe@example.com")
    joined = " ".join(warnings)
    for secret in ("Smith", "00482913", "jane.doe", "1961"):
        assert secret not in joined
    assert [w.split(":")[0] for w in warnings] == ["name", "date", "mrn", "email"]


def test_mask_keeps_initials_and_last_two_digits() -> None:
    assert mask("John Smith") == "J*** S****"
    assert mask("MRN 00482913") == "M** ######13"


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_answer_text_is_not_phi(text: str) -> None:
    assert find_phi(text) == []


def test_no_warning_on_graded_dev_answers() -> None:
    path = SHARED / "evals" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(records) > 50
    hits = {r["id"]: warnings_for(r["answer"]) for r in records if warnings_for(r["answer"])}
    assert hits == {}


def test_no_warning_on_model_answers() -> None:
    files = sorted((content_dir() / "questions").glob("*.yaml"))
    answers = [
        entry["model_answer"]
        for path in files
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(entry, dict) and "model_answer" in entry
    ]
    if not answers:
        pytest.skip("no question files in the content folder yet")
    hits = [warnings_for(a) for a in answers if warnings_for(a)]
    assert hits == []


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    "name", ["phi_cases.yaml", "phi_cases_second_writer.yaml", "phi_cases_third_writer.yaml"]
)
def test_phi_set_recall_and_no_false_alarm(name: str) -> None:
    """>= 50 PHI snippets and >= 50 PHI-free clinical texts: recall and specificity >= 0.95."""
    cases = yaml.safe_load((DATA / name).read_text("utf-8"))
    phi_cases, clean = cases["phi"], cases["clean"]
    assert len(phi_cases) >= 50 and len(clean) >= 50
    caught = [all(str(s) not in redact(c["text"]) for s in c["secrets"]) for c in phi_cases]
    quiet = [find_phi(text) == [] for text in clean]
    assert sum(caught) / len(caught) >= 0.95, [
        c["text"] for c, ok in zip(phi_cases, caught, strict=True) if not ok
    ]
    assert sum(quiet) / len(quiet) >= 0.95, [
        t for t, ok in zip(clean, quiet, strict=True) if not ok
    ]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("We had a man, MRN 4471-0926, who kept missing INR checks.", "4471-0926"),
        ("Patient: Walter Price. DOB: 04/12/1958. He was on warfarin.", "Price"),
        ("My patient Margaret Hollis, 67, came in. Later Mrs. Hollis called.", "Hollis"),
        ("My patient Margaret Hollis, 67, came in. Margaret called back.", "Margaret"),
        ("DOB 12-Apr-1958, female, type 2 diabetes.", "12-Apr-1958"),
    ],
)
def test_redaction_findings_from_the_review(text: str, secret: str) -> None:
    """The review's misses: a hyphenated MRN, a name away from DOB, a later "Mrs. Hollis"."""
    assert secret not in redact(text)


def test_no_warning_on_second_graded_set() -> None:
    path = SHARED / "evals" / "dev2.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert {r["id"]: warnings_for(r["answer"]) for r in records if warnings_for(r["answer"])} == {}


def test_a_phone_after_a_record_number_is_called_a_phone() -> None:
    text = "Mrs. Jane Hollis, MRN 4471-0926, DOB 03/14/1961, called 415-555-0134 about insulin."
    kinds = {f.text: f.kind for f in find_phi(text)}
    assert kinds["4471-0926"] == "mrn"
    assert kinds["415-555-0134"] == "phone"
