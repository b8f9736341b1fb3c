"""A mock traditional 510(k) outline for a product code, filled from the store's statistics.

A portfolio exercise, not regulatory advice: it names the sections FDA expects in a traditional
510(k), lists predicate candidates, leaves the substantial-equivalence table to fill in, and
suggests the software documentation level (DOMAIN-FACTS F18), the section 524B cybersecurity
content (F17) and a performance-testing plan from the failure modes MAUDE shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from healthpm.fda import queries, service
from healthpm.portfolio.export import md_table
from healthpm.portfolio.hazards import template_for

SECTIONS = (
    "Medical Device User Fee Cover Sheet (Form 3601)",
    "CDRH Premarket Review Submission Cover Sheet (Form 3514)",
    "510(k) Cover Letter",
    "Indications for Use Statement (Form 3881)",
    "510(k) Summary or 510(k) Statement",
    "Truthful and Accuracy Statement",
    "Class III Summary and Certification (class III devices only)",
    "Financial Certification or Disclosure Statement (if clinical data)",
    "Declarations of Conformity and Summary Reports (recognized standards)",
    "Executive Summary",
    "Device Description",
    "Substantial Equivalence Discussion",
    "Proposed Labeling",
    "Sterilization and Shelf Life",
    "Biocompatibility",
    "Software",
    "Cybersecurity (FD&C section 524B)",
    "Electromagnetic Compatibility and Electrical Safety",
    "Performance Testing: Bench",
    "Performance Testing: Animal",
    "Performance Testing: Clinical",
)
SE_ROWS = (
    "Intended use / indications for use",
    "Patient population and use environment",
    "Principle of operation / technology",
    "Energy source and power",
    "Software and algorithms",
    "Connectivity and data flow",
    "Patient-contacting materials",
    "Performance specifications",
    "Labeling and user interface",
    "Sterility and shelf life",
)
CONNECTED_WORDS = (
    "transmitter",
    "radiofrequency",
    "telemetry",
    "wireless",
    "software",
    "computer",
    "continuous glucose",
    "automated",
    "remote",
)
REVIEW_CONTEXT = (
    "MDUFA V's goal is a decision within 90 FDA days for 95% of 510(k)s, and FDA days stop "
    "while FDA waits for answers to an Additional Information request, so calendar time runs "
    "longer (DOMAIN-FACTS F6, F7)."
)


def _evidence(con: duckdb.DuckDBPyConnection, code: str) -> tuple[int, list[dict[str, Any]]]:
    total = queries.scope_reports(con, [code], None)
    return total, queries.category_evidence(con)


def software_level(row: dict[str, Any], deaths: int) -> str:
    """Suggested documentation level for device software functions (F18), with the reason."""
    if str(row.get("device_class")) == "3" or row.get("life_sustain_support_flag") == "Y":
        return "Enhanced (class III or life-sustaining device)"
    if deaths:
        return "Enhanced suggested: MAUDE shows deaths reported with this product code's failures"
    return (
        "Basic suggested; move to Enhanced if a software failure could lead to death or "
        "serious injury"
    )


def is_connected(row: dict[str, Any], evidence: list[dict[str, Any]]) -> bool:
    """Whether the device looks like a 'cyber device' (software + connectivity)."""
    name = str(row.get("device_name", "")).lower()
    return any(w in name for w in CONNECTED_WORDS) or any(
        e["level1_code"] in ("A11", "A13") for e in evidence
    )


def build_outline(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, Any]:
    """Everything the outline shows, as data (JSON output and Markdown both come from it)."""
    row = service.product_code_row(con, code.strip().upper())
    code = row["product_code"]
    timeline = service.regulatory_timeline(con, code)
    total, evidence = _evidence(con, code)
    synthetic = (
        queries.synthetic_share(con, "scope_report")["synthetic"] > 0 or timeline["synthetic"]
    )
    deaths = sum(e["deaths"] for e in evidence)
    return {
        "product_code": code,
        "device_name": row["device_name"],
        "device_class": row["device_class"],
        "regulation_number": row["regulation_number"],
        "review_panel": row["review_panel"],
        "pathway": timeline["pathway"],
        "timeline": timeline,
        "synthetic": synthetic,
        "reports": total,
        "predicates": service.predicates(con, code, limit=5)["candidates"],
        "software_level": software_level(row, deaths),
        "cyber_device": is_connected(row, evidence),
        "testing_plan": [
            {
                "failure_mode": f"{e['level1_code']} {e['category']}",
                "reports": e["reports"],
                "test": template_for(e["level1_code"]).verification,
            }
            for e in evidence[:6]
        ],
    }


def outline_markdown(data: dict[str, Any]) -> str:
    """The outline as a Markdown document."""
    parts = [
        _header(data),
        _sections(),
        _se_section(data),
        _software_section(data),
        _testing_section(data),
        _timeline_section(data),
    ]
    return "\n\n".join(parts) + "\n"


def _header(d: dict[str, Any]) -> str:
    lines = [
        f"# Mock traditional 510(k) outline: {d['product_code']} {d['device_name']}",
        "",
        f"Drafted {date.today().isoformat()} by healthpm. A portfolio exercise, not "
        "regulatory advice.",
        "",
        f"- Device class {d['device_class']}, regulation 21 CFR {d['regulation_number'] or '?'}"
        f", review panel {d['review_panel']}",
        f"- Pathway in the classification table: {d['pathway']}",
    ]
    if d["pathway"] != "510(k)":
        lines.append(
            f"- Warning: this product code is listed as {d['pathway']}, so a 510(k) may "
            "not be the right pathway."
        )
    if d["synthetic"]:
        lines.insert(
            0,
            "> SYNTHETIC DATA: the statistics below come from generated records "
            "(healthpm fda demo), not FDA data.\n",
        )
    return "\n".join(lines)


def _sections() -> str:
    items = "\n".join(f"{i}. {name}" for i, name in enumerate(SECTIONS, start=1))
    return "## Sections of a traditional 510(k)\n\n" + items


def _se_section(d: dict[str, Any]) -> str:
    preds = (
        md_table(
            ("K number", "applicant", "device", "decision date"),
            [
                (p["k_number"], p["applicant"], p["device_name"], p["decision_date"])
                for p in d["predicates"]
            ],
        )
        if d["predicates"]
        else "No stored clearances."
    )
    first = d["predicates"][0]["k_number"] if d["predicates"] else "K______"
    table = md_table(
        (
            "characteristic",
            "subject device",
            f"predicate ({first})",
            "same / different",
            "different questions of safety or effectiveness?",
        ),
        [(r, "", "", "", "") for r in SE_ROWS],
    )
    return (
        "## Substantial equivalence\n\nPredicate candidates (recent clearances under the same "
        "product code; openFDA names no predicate, so read their 510(k) summaries):\n\n"
        f"{preds}\n\nComparison to fill in:\n\n{table}"
    )


def _software_section(d: dict[str, Any]) -> str:
    cyber = (
        "Likely a cyber device under section 524B (software that can connect to a network): plan "
        "a postmarket vulnerability monitoring and disclosure process, a secure development and "
        "patching process, and a software bill of materials (SBOM); FDA refuses to accept "
        "files missing this content since Oct 1, 2023 (DOMAIN-FACTS F17)."
        if d["cyber_device"]
        else "No sign of connectivity in the name or the failure modes; confirm whether the "
        "device can connect to a network before ruling out section 524B (F17)."
    )
    return (
        "## Software and cybersecurity\n\n"
        f"- Software documentation level: {d['software_level']} (Basic/Enhanced replaced the "
        "Level of Concern in June 2023, DOMAIN-FACTS F18). Map it to an IEC 62304 safety class "
        "A/B/C (F19).\n"
        f"- Cybersecurity: {cyber}"
    )


def _testing_section(d: dict[str, Any]) -> str:
    rows = [(t["failure_mode"], t["reports"], t["test"]) for t in d["testing_plan"]]
    table = md_table(("failure mode seen in MAUDE", "reports", "planned verification"), rows)
    return (
        "## Performance testing plan\n\nOne line per failure mode most reported for this "
        f"product code ({d['reports']} reports; counts, not rates: MAUDE has no usage "
        "denominators, DOMAIN-FACTS F23). Add electrical safety/EMC, usability and "
        f"biocompatibility as the device requires.\n\n{table}"
    )


def _timeline_section(d: dict[str, Any]) -> str:
    t = d["timeline"]
    return (
        "## Expected review time\n\n"
        f"- {t['summary']}\n- p90: {t['p90_days']} calendar days.\n"
        f"- {REVIEW_CONTEXT}\n- A career-article rule of thumb: {t['article_estimate']}.\n"
        f"- {t['notes'][0]}"
    )
