"""Portfolio drafts over the FDA store: a risk register and a mock 510(k) outline."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from healthpm.fda import queries
from healthpm.fda.service import MAUDE_CAVEAT, Scope, provenance
from healthpm.portfolio import export
from healthpm.portfolio.risk_register import COLUMNS, PROBABILITY_NOTE, build_rows

EXPORT_COLUMNS = (*COLUMNS, "evidence_source")


def draft_risk_register(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, since: int | None = None
) -> dict[str, Any]:
    """Register rows seeded from the scope's observed failure modes, with their evidence."""
    total = queries.scope_reports(con, scope.codes, since)
    origin = provenance(con, "scope_report")
    synthetic = {"synthetic": origin["synthetic"], "rows": origin["rows"]}
    rows = build_rows(queries.category_evidence(con), total)
    real = origin["rows"] - origin["synthetic"]
    if origin["synthetic"] and real:
        source = f"MIXED: {origin['synthetic']} SYNTHETIC and {real} openFDA MAUDE reports"
    else:
        source = "SYNTHETIC (generated)" if origin["synthetic"] else "openFDA MAUDE"
    notes = [
        PROBABILITY_NOTE,
        MAUDE_CAVEAT,
        "Seeded from observed failure modes: add hazards MAUDE cannot show (new features, "
        "cybersecurity, foreseeable misuse) before relying on it.",
    ]
    if origin["source"]:
        notes.insert(0, origin["source"])
    if synthetic["synthetic"]:
        notes.insert(
            0,
            f"SYNTHETIC: {synthetic['synthetic']} of {synthetic['rows']} reports "
            "behind this draft are generated, not FDA data.",
        )
    if not rows:
        notes.insert(
            0,
            f"No rows: none of the {total} reports in scope names an informative device-problem "
            "term (the field exists from 2018; uninformative terms such as 'Insufficient "
            "Information' are not failure modes). Add hazards by hand or widen the scope.",
        )
    return {
        "title": f"Risk register (draft): {scope.label}",
        "scope": {"label": scope.label, "product_codes": list(scope.codes), "since": since},
        "reports": total,
        "synthetic_reports": synthetic["synthetic"],
        "rows": [{**r.as_dict(), "evidence_source": source} for r in rows],
        "notes": notes,
    }


def risk_register_markdown(register: dict[str, Any]) -> str:
    """The register as a Markdown document."""
    head = [
        f"# {register['title']}",
        "",
        f"Drafted {date.today().isoformat()} by healthpm from {register['reports']} MAUDE "
        "reports. Edit every cell; scores are 1-5.",
        "",
    ]
    notes = [f"> {n}" for n in register["notes"]]
    rows = [[r[c] for c in EXPORT_COLUMNS] for r in register["rows"]]
    table = export.md_table(EXPORT_COLUMNS, rows)
    return "\n".join([*head, *notes, "", table, ""])


def write_risk_register(register: dict[str, Any], path: Path) -> Path:
    """Write the register as CSV or Markdown, chosen by the file extension."""
    fmt = export.format_for(path)
    if fmt == "csv":
        text = export.csv_text(EXPORT_COLUMNS, register["rows"])
    else:
        text = risk_register_markdown(register)
    return export.write_atomic(path, text)
