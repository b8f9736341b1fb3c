"""Which patient problems a synthetic report pairs with its device problem (plausibility).

openFDA's reference files carry no device-problem x patient-problem co-occurrence counts, so the
pairs are a curated clinical mapping: per device family (read from the device name) and IMDRF
Annex A level-1 device-problem category, the harms a clinician would expect. Every term here is a
patient-problem term observed in a real device-event download that the FDA -> IMDRF Annex E/F
crosswalk maps (tests/fda/test_fda_synthetic.py checks both), so an insulin pump's occlusion
leads to hyperglycemia, never to "malunion of bone".
"""

from __future__ import annotations

GLYCEMIC = ("Hyperglycemia", "Hypoglycemia")
SKIN = (
    "Skin Infection",
    "Rash",
    "Erythema",
    "Itching Sensation",
    "Contact Dermatitis",
    "Blister",
    "Local Reaction",
    "Pain",
)
CARDIAC = (
    "Arrhythmia",
    "Atrial Fibrillation",
    "Bradycardia",
    "Tachycardia",
    "Chest Pain",
    "Dizziness",
    "Low Blood Pressure/ Hypotension",
    "Heart Failure/Congestive Heart Failure",
)
ELECTRICAL = ("Burn(s)", "Electric Shock", "Burning Sensation", "Discomfort")
GENERIC = ("Pain", "Discomfort", "Unspecified Tissue Injury", "Bruise/Contusion", "Fall")

FAMILY_WORDS = (
    ("diabetes", ("insulin", "glucose", "infusion pump", "dosing")),
    ("cardiac", ("electrocardiograph", "transmitter", "telemetry", "arrhythmia", "cardiac")),
)

# family -> IMDRF A level-1 code -> plausible patient problems ("*" = any other category)
HARMS: dict[str, dict[str, tuple[str, ...]]] = {
    "diabetes": {
        "A14": (*GLYCEMIC, "Nausea", "Vomiting", "Fatigue"),
        "A16": (*GLYCEMIC, "Loss of consciousness"),
        "A09": (*GLYCEMIC, "Dizziness", "Confusion/ Disorientation", "Loss of consciousness"),
        "A08": (*GLYCEMIC, "Dizziness"),
        "A13": (*GLYCEMIC, "Confusion/ Disorientation"),
        "A11": (*GLYCEMIC, "Dizziness"),
        "A01": SKIN,
        "A05": (*SKIN, "Needle Stick/Puncture", "Hyperglycemia"),
        "A07": ("Burn(s)", "Discomfort", "Hyperglycemia"),
        "*": (*GLYCEMIC, "Fatigue"),
    },
    "cardiac": {
        "A09": CARDIAC,
        "A13": (*CARDIAC, "Cardiac Arrest"),
        "A12": CARDIAC,
        "A11": (*CARDIAC, "Cardiac Arrest"),
        "A01": SKIN,
        "A07": ELECTRICAL,
        "*": (*CARDIAC[:4], "Discomfort"),
    },
    "other": {"A01": SKIN, "A07": ELECTRICAL, "*": GENERIC},
}


def family_of(device_name: str) -> str:
    """'diabetes', 'cardiac' or 'other', from words in the FDA device name."""
    name = device_name.lower()
    for family, words in FAMILY_WORDS:
        if any(w in name for w in words):
            return family
    if "sensor" in name and "glucose" in name:
        return "diabetes"
    return "other"


def harms_for(device_name: str, level1_code: str | None) -> tuple[str, ...]:
    """Patient problems that plausibly follow a device problem of this category."""
    table = HARMS[family_of(device_name)]
    return table.get(level1_code or "*", table["*"])


def all_terms() -> set[str]:
    """Every patient-problem term the mapping can produce."""
    return {t for table in HARMS.values() for terms in table.values() for t in terms}
