"""A mock traditional 510(k) outline for a product code, filled from the store's statistics.

A portfolio exercise, not regulatory advice: it follows the section structure of FDA's eSTAR
template (required for 510(k)s since Oct 1, 2023; FDA guidance "Electronic Submission Template
for Medical Device 510(k) Submissions", section V), lists predicate candidates, leaves the
substantial-equivalence table to fill in, and suggests the software documentation level
(DOMAIN-FACTS F18), the section 524B cybersecurity content (F17) and a performance-testing plan
from the failure modes MAUDE shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from healthpm.fda import queries, service
from healthpm.portfolio.export import md_table
from healthpm.portfolio.hazards import template_for

# eSTAR sections in template order, with what healthpm's data contributes to each (if anything)
ESTAR_SECTIONS = (
    ("Submission Type", "Traditional 510(k) (Special or Abbreviated if they fit)"),
    ("Cover Letter / Letters of Reference", ""),
    ("Submitter (Applicant) Information", ""),
    ("Pre-Submission Correspondence & Previous Regulator Interaction", "Q-Submission numbers"),
    ("Consensus Standards", "recognized standards used in testing (see the testing plan)"),
    ("Device Description", "technological characteristics, principle of operation, accessories"),
    ("Proposed Indications for Use", "the Form 3881 content"),
    ("Classification", "product code, regulation and class: filled in above"),
    ("Predicates and Substantial Equivalence", "candidates and the comparison table below"),
    ("Design/Special Controls, Risks to Health, and Mitigation Measures",
     "the risk register draft (healthpm portfolio risk-register)"),
    ("Labeling", ""),
    ("Reprocessing", "reusable devices only"),
    ("Sterility", "if supplied sterile"),
    ("Shelf Life", ""),
    ("Biocompatibility", "patient-contacting parts (ISO 10993)"),
    ("Software/Firmware", "documentation level below"),
    ("Cybersecurity/Interoperability", "section 524B content below when the device is connected"),
    ("Electromagnetic Compatibility (EMC), Wireless, Electrical, Mechanical, and Thermal Safety",
     "IEC 60601-1, IEC 60601-1-2, wireless coexistence"),
    ("Performance Testing", "bench, animal, clinical: the plan below per observed failure mode"),
    ("References", ""),
    ("Administrative Documentation", "510(k) summary or statement, truthful and accuracy "
     "statement, financial certification if clinical data"),
)  # fmt: skip
SECTIONS = tuple(name for name, _ in ESTAR_SECTIONS)
ESTAR_SOURCE = (
    "eSTAR section order per FDA's guidance Electronic Submission Template for Medical Device "
    "510(k) Submissions (Oct 2023), section V; eSTAR has been required for 510(k)s since "
    "Oct 1, 2023."
)
# Product codes whose devices connect (Bluetooth, cellular or a network) in current designs,
# although the classification name does not say so: insulin pumps and AID systems pair with
# CGMs and phone apps; CGMs transmit to readers and phones; physiological monitors network.
CONNECTED_CODES = frozenset(
    {"LZG", "QFG", "OYC", "OZO", "OZP", "MDS", "QBJ", "QDK", "PJT", "DRG", "DXH", "MSX",
     "MWI", "MHX", "DSI", "DQA", "NZH", "PHC", "FRN"}
)  # fmt: skip
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
    if str(row.get("product_code", "")).upper() in CONNECTED_CODES:
        return True
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
    report_source = queries.source_line(con, "scope_report")
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
        "review_panel_name": service.panel_label(con, row["review_panel"] or ""),
        "pma_records": queries._scalar(
            con, "SELECT count(*) FROM pma WHERE product_code = ?", [code]
        ),
        "pathway": timeline["pathway"],
        "timeline": timeline,
        "synthetic": synthetic,
        "source": report_source,
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
        f"# Mock traditional 510(k) outline (eSTAR structure): {d['product_code']}"
        f" {d['device_name']}",
        "",
        f"Drafted {date.today().isoformat()} by healthpm. A portfolio exercise, not "
        "regulatory advice.",
        "",
        f"- Device class {d['device_class']}, regulation 21 CFR {d['regulation_number'] or '?'}"
        f", review panel {d['review_panel_name']}",
        f"- Pathway in the classification table: {d['pathway']}",
    ]
    if d["pathway"] != "510(k)":
        lines.append(
            f"- Warning: this product code is listed as {d['pathway']}, so a 510(k) may "
            "not be the right pathway."
        )
    if d.get("source"):
        lines.append(f"- {d['source']}")
    if d["synthetic"]:
        lines.insert(
            0,
            "> SYNTHETIC DATA: the statistics below come from generated records "
            "(healthpm fda demo), not FDA data.\n",
        )
    return "\n".join(lines)


def _sections() -> str:
    items = "\n".join(
        f"{i}. {name}" + (f": {hint}" if hint else "")
        for i, (name, hint) in enumerate(ESTAR_SECTIONS, start=1)
    )
    return f"## eSTAR sections of a traditional 510(k)\n\n{items}\n\n{ESTAR_SOURCE}"


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
    lines = [f"- {t['summary']}"]
    if t["n"]:
        lines.append(f"- p90: {t['p90_days']:.0f} calendar days (n={t['n']}, {t['window']}).")
    else:
        lines.append(
            f"- No percentiles: no stored clearances for {d['product_code']} ({t['window']})."
        )
    lines += [f"- {n}" for n in t["notes"]]
    lines += [f"- {REVIEW_CONTEXT}", f"- A career-article rule of thumb: {t['article_estimate']}."]
    if d.get("pma_records"):
        lines.append(
            f"- {d['pma_records']} PMA records (originals and supplements) are stored for this "
            "code: see healthpm fda pma."
        )
    return "## Expected review time\n\n" + "\n".join(lines)
