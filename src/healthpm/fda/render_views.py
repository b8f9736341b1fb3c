"""Rich renderings of the newer workbench views (search, trend, manufacturers, PMA)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from healthpm.fda.render import _notes, _table


def _tag(row: dict[str, Any]) -> str:
    return "SYNTHETIC" if row.get("synthetic") else "openFDA"


def search(console: Console, data: dict[str, Any]) -> None:
    """Matching reports with an excerpt around the first match."""
    console.print(
        f"[bold]Narrative search: {' '.join(data['words'])}[/bold] in "
        f"{data['scope']['label']} — {data['reports']} reports (showing {data['shown']})"
    )
    rows = [
        (r["mdr_report_key"], r["date_received"], r["event_type"], r["product_codes"],
         r["excerpt"], _tag(r))
        for r in data["rows"]
    ]  # fmt: skip
    console.print(
        _table("Reports", ("report", "received", "type", "codes", "excerpt", "data"), rows)
    )
    _notes(console, data["notes"])


def failure_trend(console: Console, data: dict[str, Any]) -> None:
    """Quarter x category counts, with all reports per quarter."""
    console.print(
        f"[bold]Failure modes per quarter: {data['scope']['label']}[/bold] — "
        f"{data['reports']} reports"
    )
    codes = [c["imdrf_code"] for c in data["categories"]]
    cells = {(s["quarter"], s["imdrf_code"]): s["reports"] for s in data["series"]}
    rows = [
        (q["quarter"], *(cells.get((q["quarter"], c), 0) for c in codes), q["all_reports"])
        for q in data["quarters"]
    ]
    console.print(_table("Reports per quarter received", ("quarter", *codes, "all"), rows))
    console.print(
        _table("Categories", ("IMDRF", "category"),
               [(c["imdrf_code"], c["category"]) for c in data["categories"]])
    )  # fmt: skip
    _notes(console, data["notes"])


def manufacturers(console: Console, data: dict[str, Any]) -> None:
    """Reports per manufacturer and brand (counts, not rates)."""
    console.print(
        f"[bold]Manufacturers and brands: {data['product_code']}[/bold] {data['device_name']}"
        f" — {data['reports']} reports (counts, not rates)"
    )
    rows = [
        (f["manufacturer"], f["reports"], f["deaths"], f["injuries"], f["malfunctions"],
         ", ".join(f"{b['brand']} ({b['reports']})" for b in f["brands"][:4]))
        for f in data["manufacturers"]
    ]  # fmt: skip
    console.print(
        _table(
            "Reports per manufacturer",
            ("manufacturer", "reports", "deaths", "injuries", "malfunctions", "brands"),
            rows,
        )
    )
    _notes(console, data["notes"])


def pma(console: Console, data: dict[str, Any]) -> None:
    """PMA originals and supplements per year and the most recent ones."""
    console.print(
        f"[bold]PMA approvals: {data['product_code']}[/bold] {data['device_name']} "
        f"(class {data['device_class']}) — {data['records']} records"
    )
    console.print(
        _table("Per decision year", ("year", "originals", "supplements"),
               [(r["year"], r["originals"], r["supplements"]) for r in data["by_year"]])
    )  # fmt: skip
    console.print(
        _table(
            "Recent",
            ("PMA", "supplement", "applicant", "trade name", "decision", "type", "data"),
            [
                (r["pma_number"], r["supplement_number"] or "original", r["applicant"],
                 r["trade_name"], r["decision_date"], r["supplement_type"], _tag(r))
                for r in data["recent"]
            ],
        )
    )  # fmt: skip
    _notes(console, data["notes"])
