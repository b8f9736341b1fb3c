"""Reference tables shipped with the package: product codes, IMDRF Annex A/E, problem vocabularies.

Sources (all public): FDA product classification file (2019-07 snapshot), IMDRF AE terminology
(Annex A device problems, Annex E clinical signs), and the problem terms observed in a 2024
openFDA device-event download. See docs/fda.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
CLASSIFICATION_CSV = DATA_DIR / "product-classification-2019-07.csv"
ANNEX_A_CSV = DATA_DIR / "imdrf-annex-a-medical-device-problem.csv"
ANNEX_E_CSV = DATA_DIR / "imdrf-annex-e-clinical-signs-symptoms-conditions.csv"
OBSERVED_VALUES_CSV = DATA_DIR / "device-event-observed-values.csv"
REVIEW_PANELS_CSV = DATA_DIR / "review-panels.csv"
CLASSIFICATION_SOURCE = "FDA product classification file, 2019-07 snapshot (shipped)"

# IMDRF Annex A level-1 categories that say nothing about how the device failed.
UNINFORMATIVE_DEVICE_CATEGORIES = frozenset({"A24", "A25", "A26", "A27"})
UNINFORMATIVE_DEVICE_TERMS = frozenset(
    {
        "adverse event without identified device or use problem",
        "insufficient information",
        "appropriate term/code not available",
        "no apparent adverse event",
        "device operational issue",
    }
)
UNINFORMATIVE_PATIENT_TERMS = frozenset(
    {
        "no known impact or consequence to patient",
        "no clinical signs, symptoms or conditions",
        "no patient involvement",
        "no code available",
        "no consequences or impact to patient",
        "insufficient information",
        "appropriate term / code not available",
        "appropriate term/code not available",
    }
)


@dataclass(frozen=True)
class ImdrfTerm:
    """One IMDRF terminology term with its level-1 ancestor."""

    code: str
    term: str
    level: int
    level1_code: str


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=2)
def imdrf_terms(annex: str = "A") -> tuple[ImdrfTerm, ...]:
    """Every term of IMDRF Annex A (device problems) or E (clinical signs)."""
    path = ANNEX_A_CSV if annex == "A" else ANNEX_E_CSV
    return tuple(
        ImdrfTerm(r["code"], r["term"], int(r["level"]), r["level1_code"]) for r in _read_rows(path)
    )


@lru_cache(maxsize=1)
def level1_names() -> dict[str, str]:
    """IMDRF Annex A and E level-1 code -> category name."""
    return {t.code: t.term for annex in ("A", "E") for t in imdrf_terms(annex) if t.level == 1}


@lru_cache(maxsize=1)
def observed_vocabulary() -> dict[str, tuple[str, ...]]:
    """Distinct values seen in a real 2024 device-event run, by field path."""
    vocab: dict[str, list[str]] = {}
    for row in _read_rows(OBSERVED_VALUES_CSV):
        vocab.setdefault(row["path"].split(".")[-1], []).append(row["value"])
    return {path: tuple(values) for path, values in vocab.items()}


@lru_cache(maxsize=1)
def classification_rows() -> tuple[dict[str, str], ...]:
    """The shipped product classification table (6,530 product codes)."""
    return tuple(_read_rows(CLASSIFICATION_CSV))


@lru_cache(maxsize=1)
def review_panels() -> dict[str, str]:
    """Two-letter review panel code -> panel name."""
    return {r["code"]: r["description"] for r in _read_rows(REVIEW_PANELS_CSV)}
