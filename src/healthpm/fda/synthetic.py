"""Realistic SYNTHETIC openFDA records in the exact bulk layout, for tests, demo and benchmark.

Vocabularies are real (product codes and classes from the FDA classification table, problem terms
observed in a 2024 device-event download, IMDRF-matching terms); the records, firms, devices and
narratives are invented. Every file written from here carries `meta.healthpm_synthetic = true`,
which the importer records, so every output built on it says "synthetic".
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from healthpm.fda import reference, synthetic_text
from healthpm.fda.synthetic_harms import harms_for

# Synthetic keys live where FDA's never will: MDR report keys of ten digits from 9,000,000,000
# (FDA's are eight digits today) and K, Z and CFRES numbers with a "SYN-" prefix. Import
# replaces by key, so real records can never be overwritten by demo records.
SYNTHETIC_KEY_BASE = 9_000_000_000
SYN = "SYN-"

EVENT_TYPES = (
    ("Malfunction", 70),
    ("Injury", 24),
    ("Death", 2),
    ("Other", 3),
    ("No answer provided", 1),
)
FIRMS = (
    "NORTHWIND MEDICAL (SYNTHETIC)",
    "BLUE HERON DEVICES (SYNTHETIC)",
    "CEDAR HEALTH TECH (SYNTHETIC)",
    "ORCHID DIAGNOSTICS (SYNTHETIC)",
    "HARBOR LIFE SYSTEMS (SYNTHETIC)",
)
ROOT_CAUSES = (
    "Device Design",
    "Software design",
    "Process control",
    "Component design/selection",
    "Labeling design",
    "Employee error",
    "Under Investigation by firm",
)
RECALL_REASONS = (
    "Software anomaly may cause the device to display an incorrect reading.",
    "Sensor may lose adhesion early, interrupting data transmission.",
    "Battery may deplete faster than stated in the labeling.",
    "Alarm may not sound when the connection to the display device is lost.",
    "Labeling lists an incorrect calibration range.",
)
UNINFORMATIVE_SHARE = 0.25


@dataclass(frozen=True)
class ProductProfile:
    """One product code's synthetic character: name, class, and its favourite problems."""

    code: str
    device_name: str
    device_class: str
    regulation_number: str
    panel: str
    problems: tuple[str, ...]
    weights: tuple[float, ...]


# IMDRF Annex A level-1 categories that dominate each kind of device (by words in its name).
_CATEGORY_HINTS = (
    (("pump", "infusion", "dosing"), ("A14", "A11", "A07", "A22", "A16")),
    (("glucose", "sensor", "monitor"), ("A09", "A08", "A13", "A11", "A01")),
    (("transmitter", "radiofrequency", "telemetry"), ("A13", "A12", "A11", "A07")),
    (("computer", "software", "image", "analyzer"), ("A11", "A09", "A22", "A13")),
)
_DEFAULT_CATEGORIES = ("A09", "A07", "A11", "A22", "A05")


@lru_cache(maxsize=1)
def _informative_terms() -> dict[str, tuple[str, ...]]:
    """Observed 2024 product-problem terms that are exact IMDRF Annex A terms, by level-1 code."""
    level1 = {t.term.lower(): t.level1_code for t in reference.imdrf_terms("A")}
    out: dict[str, list[str]] = {}
    for term in reference.observed_vocabulary()["product_problems"]:
        code = level1.get(term.lower())
        if (
            code
            and term.lower() not in reference.UNINFORMATIVE_DEVICE_TERMS
            and code not in reference.UNINFORMATIVE_DEVICE_CATEGORIES
        ):
            out.setdefault(code, []).append(term)
    return {code: tuple(terms) for code, terms in out.items()}


def _profile_terms(rng: random.Random, device_name: str) -> tuple[str, ...]:
    name = device_name.lower()
    preferred = next(
        (cats for words, cats in _CATEGORY_HINTS if any(w in name for w in words)),
        _DEFAULT_CATEGORIES,
    )
    by_category = _informative_terms()
    terms = [rng.choice(by_category[c]) for c in preferred if c in by_category]
    terms += [rng.choice(by_category[c]) for c in preferred[:3] if c in by_category]
    everything = [t for group in by_category.values() for t in group]
    terms += rng.sample(everything, 4)
    return tuple(dict.fromkeys(terms))


def product_profile(code: str, seed: int = 0) -> ProductProfile:
    """A stable profile for a product code; unknown codes get a generic class-2 profile."""
    row = next((r for r in reference.classification_rows() if r["product_code"] == code), None)
    rng = random.Random(f"{seed}:{code}")
    device_name = row["device_name"] if row else f"Device {code}"
    terms = _profile_terms(rng, device_name)
    weights = tuple(1.0 / (rank + 1) for rank in range(len(terms)))  # Zipf-like
    return ProductProfile(
        code=code,
        device_name=device_name,
        device_class=row["device_class"] if row else "2",
        regulation_number=(row["regulation_number"] if row else "") or "",
        panel=(row["review_panel"] if row else "") or "HO",
        problems=terms,
        weights=weights,
    )


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _device_problems(rng: random.Random, profile: ProductProfile) -> list[str]:
    if rng.random() < UNINFORMATIVE_SHARE:
        return [
            rng.choice(
                (
                    "Adverse Event Without Identified Device or Use Problem",
                    "Insufficient Information",
                    "Appropriate Term/Code Not Available",
                )
            )
        ]
    count = 1 if rng.random() < 0.7 else 2
    return list(dict.fromkeys(rng.choices(profile.problems, profile.weights, k=count)))


@lru_cache(maxsize=1)
def _level1_of_term() -> dict[str, str]:
    return {t.lower(): code for code, terms in _informative_terms().items() for t in terms}


def _patient(
    rng: random.Random, event_type: str, device_name: str = "", problems: Sequence[str] = ()
) -> list[dict[str, Any]]:
    level1 = next((_level1_of_term().get(p.lower()) for p in problems), None)
    vocab = list(harms_for(device_name, level1))
    if event_type == "Malfunction":
        problems = [
            rng.choice(
                (
                    "No Known Impact Or Consequence To Patient",
                    "No Clinical Signs, Symptoms or Conditions",
                )
            )
        ]
        outcomes = ["Other"]
    else:
        problems = rng.sample(vocab, min(len(vocab), 1 + (rng.random() < 0.3)))
        outcomes = (
            ["Death"]
            if event_type == "Death"
            else [
                rng.choice(
                    ("Hospitalization", "Required Intervention", "Other", "Life Threatening")
                )
            ]
        )
    return [
        {
            "patient_sequence_number": "1",
            "patient_problems": problems,
            "sequence_number_outcome": outcomes,
            "sequence_number_treatment": [],
            "patient_age": f"{rng.randrange(18, 90)} YR",
            "patient_sex": rng.choice(("Male", "Female")),
        }
    ]


def _device(rng: random.Random, profile: ProductProfile, seq: int) -> dict[str, Any]:
    start = sum(map(ord, profile.code)) % len(FIRMS)
    pick = rng.choices(range(3), (0.55, 0.3, 0.15))[0]  # three makers per code, unequal
    firm = FIRMS[(start + pick) % len(FIRMS)]
    return {
        "device_sequence_number": str(seq),
        "device_report_product_code": profile.code,
        "brand_name": f"SYNTH {firm.split()[0]} {profile.code} {rng.randrange(1, 3)}",
        "generic_name": profile.device_name.upper(),
        "manufacturer_d_name": firm,
        "model_number": f"M{rng.randrange(100, 999)}",
        "udi_di": f"0{rng.randrange(10**12, 10**13)}",
        "device_operator": rng.choice(("LAY USER/PATIENT", "HEALTH PROFESSIONAL")),
        "openfda": {
            "device_class": profile.device_class,
            "device_name": profile.device_name,
            "regulation_number": profile.regulation_number,
        },
    }


def _narrative(
    rng: random.Random, key: str, event_type: str, problems: list[str]
) -> list[dict[str, Any]]:
    what = problems[0] if problems else "an issue"
    level1 = _level1_of_term().get(what.lower())
    texts = (
        ("Additional Manufacturer Narrative", synthetic_text.evaluation(rng)),
        ("Description of Event or Problem",
         synthetic_text.description(rng, level1, event_type, what)),
    )  # fmt: skip
    return [
        {
            "mdr_text_key": f"{key}{i}",
            "text_type_code": kind,
            "patient_sequence_number": "1",
            "text": text,
        }
        for i, (kind, text) in enumerate(texts, start=1)
    ]


def event_record(
    rng: random.Random, key: int, profile: ProductProfile, year: int
) -> dict[str, Any]:
    """One device-event (MAUDE) report in openFDA's bulk layout."""
    received = _day(rng, year)
    event_type = rng.choices([e for e, _ in EVENT_TYPES], [w for _, w in EVENT_TYPES])[0]
    problems = _device_problems(rng, profile)
    record: dict[str, Any] = {
        "mdr_report_key": str(key),
        "report_number": f"{SYN}{key % 10**8:08d}-{year}-{key % 99999:05d}",
        "event_key": "",
        "date_received": _ymd(received),
        "event_type": event_type,
        "adverse_event_flag": "N" if event_type == "Malfunction" else "Y",
        "product_problem_flag": "Y",
        "report_source_code": "Manufacturer report",
        "source_type": ["Health Professional"],
        "type_of_report": ["Initial submission"],
        "pma_pmn_number": f"{SYN}K{(year - 3) % 100:02d}{key % 9000 + 1000}",
        "product_problems": problems,
        "device": [_device(rng, profile, 1)],
        "patient": _patient(rng, event_type, profile.device_name, problems),
        "mdr_text": _narrative(rng, str(key), event_type, problems),
    }
    if rng.random() < 0.8:
        record["date_of_event"] = _ymd(received - timedelta(days=rng.randrange(1, 40)))
    return record


def clearance_record(
    rng: random.Random, profile: ProductProfile, year: int, seq: int
) -> dict[str, Any]:
    """One 510(k) clearance in openFDA's layout; review days are lognormal, Special shorter."""
    special = rng.random() < 0.25
    days = int(rng.lognormvariate(4.3 if special else 5.0, 0.45)) + 20
    decision = _day(rng, year)
    received = decision - timedelta(days=days)
    return {
        "k_number": f"{SYN}K{year % 100:02d}{seq:04d}",
        "product_code": profile.code,
        "date_received": received.isoformat(),
        "decision_date": decision.isoformat(),
        "decision_code": "SESE",
        "decision_description": "Substantially Equivalent",
        "clearance_type": "Special" if special else "Traditional",
        "advisory_committee": profile.panel,
        "review_advisory_committee": profile.panel,
        "applicant": rng.choice(FIRMS),
        "device_name": f"SYNTH {profile.device_name.upper()}",
        "statement_or_summary": "Summary",
        "third_party_flag": "N",
        "expedited_review_flag": "",
        "openfda": {
            "device_class": profile.device_class,
            "device_name": profile.device_name,
            "regulation_number": profile.regulation_number,
        },
    }


def recall_pair(
    rng: random.Random, profile: ProductProfile, year: int, seq: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A device/recall record and the matching device/enforcement record."""
    number = f"{SYN}Z-{seq:04d}-{year}"
    initiated = _day(rng, year)
    reason = rng.choice(RECALL_REASONS)
    firm = rng.choice(FIRMS)
    recall = {
        "product_res_number": number,
        "res_event_number": str(80000 + seq),
        "cfres_id": f"{SYN}{170000 + seq}",
        "product_code": profile.code,
        "recall_status": rng.choice(("Open, Classified", "Terminated")),
        "event_date_initiated": initiated.isoformat(),
        "event_date_posted": initiated.isoformat(),
        "reason_for_recall": reason,
        "root_cause_description": rng.choice(ROOT_CAUSES),
        "recalling_firm": firm,
        "product_description": f"SYNTH {profile.device_name}",
        "k_numbers": [f"{SYN}K{(year - 2) % 100:02d}{seq:04d}"],
    }
    enforcement: dict[str, Any] = {
        "recall_number": number,
        "event_id": str(80000 + seq),
        "classification": rng.choices(("Class I", "Class II", "Class III"), (1, 8, 1))[0],
        "status": "Ongoing",
        "product_type": "Devices",
        "recalling_firm": firm,
        "reason_for_recall": reason,
        "product_description": f"SYNTH {profile.device_name}",
        "recall_initiation_date": _ymd(initiated),
        "report_date": _ymd(initiated + timedelta(40)),
        "center_classification_date": _ymd(initiated + timedelta(30)),
        "openfda": {},
    }
    return recall, enforcement


def classification_record(code: str) -> dict[str, Any]:
    """A device/classification record copied from the shipped real table."""
    row = next((r for r in reference.classification_rows() if r["product_code"] == code), None)
    profile = product_profile(code)
    return {
        "product_code": code,
        "device_name": profile.device_name,
        "device_class": profile.device_class,
        "regulation_number": profile.regulation_number,
        "review_panel": profile.panel,
        "medical_specialty": (row or {}).get("medical_specialty", ""),
        "submission_type_id": (row or {}).get("submission_type_id", "1"),
        "implant_flag": "N",
        "life_sustain_support_flag": "N",
        "openfda": {},
    }


def pma_record(
    rng: random.Random, profile: ProductProfile, year: int, number: int, supplement: int
) -> dict[str, Any]:
    """A device/pma record (an original when supplement is 0) in openFDA's layout."""
    decision = _day(rng, year)
    received = decision - timedelta(days=int(rng.lognormvariate(5.2, 0.4)) + 30)
    return {
        "pma_number": f"{SYN}P{number:06d}",
        "supplement_number": f"S{supplement:03d}" if supplement else "",
        "applicant": FIRMS[number % len(FIRMS)],
        "trade_name": f"SYNTH {profile.device_name.upper()} SYSTEM",
        "generic_name": profile.device_name,
        "product_code": profile.code,
        "advisory_committee": profile.panel,
        "supplement_type": rng.choice(
            ("Real-Time Process", "30-Day Notice", "Normal 180 Day Track")
        )
        if supplement
        else "",
        "supplement_reason": "Change Design/Components/Specifications/Material"
        if supplement
        else "",
        "expedited_review_flag": "N",
        "date_received": received.isoformat(),
        "decision_date": decision.isoformat(),
        "decision_code": "APPR",
        "ao_statement": "SYNTHETIC approval order statement",
        "openfda": {"device_class": profile.device_class, "device_name": profile.device_name},
    }
