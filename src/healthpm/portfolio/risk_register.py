"""Draft an ISO 14971-style risk register seeded from the failure modes MAUDE shows.

Severity comes from the worst outcomes reported with each failure mode, probability from its
share of the scope's reports. Both are starting points to edit: MAUDE has no usage denominators,
so the probability score ranks failure modes against each other, it is not an occurrence rate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from healthpm.portfolio.hazards import template_for

PROBABILITY_NOTE = (
    "Probability 1-5 ranks how often each failure mode appears among this scope's MAUDE "
    "reports; MAUDE has no usage denominators, so it is not an occurrence rate (DOMAIN-FACTS "
    "F23). Replace it with field data (units in use, complaint rates) before any real use."
)
COLUMNS = (
    "id",
    "hazard",
    "hazardous_situation",
    "harm",
    "severity",
    "probability",
    "maude_evidence",
    "risk_level",
    "risk_control",
    "verification",
    "residual_risk",
    "imdrf_category",
)


@dataclass
class RiskRow:
    """One register row; every field is editable text or a 1-5 score."""

    id: str
    hazard: str
    hazardous_situation: str
    harm: str
    severity: int
    probability: int
    maude_evidence: str
    risk_level: str
    risk_control: str
    verification: str
    residual_risk: str
    imdrf_category: str

    def as_dict(self) -> dict[str, Any]:
        """Row as a dict in column order."""
        return asdict(self)


def severity_score(
    deaths: int,
    injuries: int,
    reports: int,
    *,
    life_threatening: int = 0,
    disabilities: int = 0,
    hospitalizations: int = 0,
    interventions: int = 0,
) -> int:
    """1-5 from the worst patient outcomes and event types reported with the failure mode.

    5 a death (event type or patient outcome); 4 a life-threatening outcome, a disability or a
    hospitalization, or injuries in 30% or more of the reports; 3 a required intervention or
    any injury; 2 malfunctions only."""
    if deaths:
        return 5
    if life_threatening or disabilities or hospitalizations:
        return 4
    if reports and injuries / reports >= 0.3:
        return 4
    return 3 if injuries or interventions else 2


def severity_basis(item: dict[str, Any]) -> str:
    """The outcome counts behind a severity score, for the register's harm column."""
    parts = [
        ("deaths", item.get("deaths", 0)),
        ("life-threatening", item.get("life_threatening", 0)),
        ("disability", item.get("disabilities", 0)),
        ("hospitalization", item.get("hospitalizations", 0)),
        ("required intervention", item.get("interventions", 0)),
        ("injury reports", item.get("injuries", 0)),
    ]
    return ", ".join(f"{name} {n}" for name, n in parts)


def probability_score(reports: int, total: int) -> int:
    """1-5 from the failure mode's share of all reports in scope (a ranking, not a rate)."""
    share = reports / total if total else 0.0
    for score, floor in ((5, 0.30), (4, 0.15), (3, 0.05), (2, 0.01)):
        if share >= floor:
            return score
    return 1


def risk_level(severity: int, probability: int) -> str:
    """Low / Medium / High from severity x probability (a simple 5x5 matrix)."""
    score = severity * probability
    return "High" if score >= 15 else "Medium" if score >= 8 else "Low"


def build_rows(
    evidence: list[dict[str, Any]], total_reports: int, limit: int = 10
) -> list[RiskRow]:
    """Rows for the most reported failure-mode categories."""
    rows = []
    for i, item in enumerate(evidence[:limit], start=1):
        t = template_for(item["level1_code"])
        sev = severity_score(
            item["deaths"],
            item["injuries"],
            item["reports"],
            life_threatening=item.get("life_threatening", 0),
            disabilities=item.get("disabilities", 0),
            hospitalizations=item.get("hospitalizations", 0),
            interventions=item.get("interventions", 0),
        )
        prob = probability_score(item["reports"], total_reports)
        harms = ", ".join(h["term"] for h in item["harms"]) or "No patient harm coded"
        rows.append(
            RiskRow(
                id=f"R-{i:02d}",
                hazard=t.hazard.format(category=item["category"]),
                hazardous_situation=t.situation,
                harm=f"{harms} ({severity_basis(item)} in these reports)",
                severity=sev,
                probability=prob,
                maude_evidence=f"{item['reports']} of {total_reports} reports",
                risk_level=risk_level(sev, prob),
                risk_control=t.control,
                verification=t.verification,
                residual_risk="To score after the controls are verified (re-rate S and P)",
                imdrf_category=f"{item['level1_code']} {item['category']}",
            )
        )
    return rows
