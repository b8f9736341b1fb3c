"""Rich renderings of the FDA workbench results (the --json output is the dicts themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    return table


def _notes(console: Console, notes: Sequence[str]) -> None:
    for note in notes:
        style = "bold yellow" if note.startswith("SYNTHETIC") else "dim"
        console.print(f"• {note}", style=style, markup=False, highlight=False)


def _share(n: int, of: int) -> str:
    return f"{n} / {of}" + (f" ({100 * n / of:.0f}%)" if of else "")


def failure_modes(console: Console, data: dict[str, Any]) -> None:
    """Device problems by IMDRF category, patient problems, event types, excerpts."""
    total = data["reports"]
    dp = data["device_problems"]
    console.print(f"[bold]Failure modes: {data['scope']['label']}[/bold] — {total} reports")
    console.print(
        f"{dp['reports_with_problem_terms']} of {total} reports carry device-problem terms"
        " (the field exists from 2018); the tables below count only those.",
        markup=False,
        highlight=False,
    )
    rows = [
        (
            c["imdrf_code"],
            c["category"],
            _share(c["reports"], total),
            ", ".join(f"{t['term']} ({t['reports']})" for t in c["terms"][:3]),
        )
        for c in dp["categories"]
    ]
    console.print(
        _table(
            "Device problems by IMDRF Annex A category (reports / all reports)",
            ("IMDRF", "category", "reports", "top terms"),
            rows,
        )
    )
    apart = dp["uninformative"] + dp["unmapped"]
    console.print(
        _table(
            "Shown apart: uninformative or unmapped terms",
            ("term", "reports"),
            [(t["term"], _share(t["reports"], total)) for t in apart],
        )
    )
    pp = data["patient_problems"]
    console.print(
        _table(
            "Patient problems",
            ("term", "reports"),
            [(t["term"], _share(t["reports"], total)) for t in pp["terms"]]
            + [(f"(apart) {t['term']}", _share(t["reports"], total)) for t in pp["uninformative"]],
        )
    )
    types = sorted({k for y in data["event_types_by_year"] for k in y} - {"year", "total"})
    console.print(
        _table(
            "Event types by year received",
            ("year", *types, "total"),
            [
                (y["year"], *(y.get(t, 0) for t in types), y["total"])
                for y in data["event_types_by_year"]
            ],
        )
    )
    console.print(
        _table(
            "Example narratives",
            ("report", "received", "type", "excerpt"),
            [
                (e["mdr_report_key"], e["date_received"], e["event_type"], e["excerpt"])
                for e in data["examples"]
            ],
        )
    )
    _notes(console, data["notes"])


def _stat_rows(rows: Sequence[dict[str, Any]], key: str) -> list[tuple[Any, ...]]:
    return [(r[key], r["n"], r["median"], r["p25"], r["p75"], r["p90"]) for r in rows]


def clearance_times(console: Console, data: dict[str, Any]) -> None:
    """Review-time tables (calendar days)."""
    cols = ("n", "median", "p25", "p75", "p90")
    console.print(f"[bold]510(k) review times: {data['scope']['label']}[/bold] (calendar days)")
    console.print(_table("All", cols, [[data["overall"][c] for c in cols]]))
    console.print(_table("By decision year", ("year", *cols), _stat_rows(data["by_year"], "year")))
    console.print(
        _table(
            "By clearance type",
            ("type", *cols),
            _stat_rows(data["by_clearance_type"], "clearance_type"),
        )
    )
    _notes(console, data["notes"])


def predicates(console: Console, data: dict[str, Any]) -> None:
    """Recent clearances as predicate candidates."""
    console.print(
        f"[bold]Predicate candidates: {data['product_code']}[/bold] {data['device_name']}"
    )
    rows = [
        (c["k_number"], c["applicant"], c["device_name"], c["decision_date"], c["clearance_type"])
        for c in data["candidates"]
    ]
    console.print(
        _table("Recent clearances", ("K number", "applicant", "device", "decision", "type"), rows)
    )
    _notes(console, data["notes"])


def recalls(console: Console, data: dict[str, Any]) -> None:
    """Recalls by root cause, class and reason."""
    console.print(f"[bold]Recalls: {data['scope']['label']}[/bold] — {data['recalls']} recalls")
    console.print(
        _table(
            "By root cause",
            ("root cause", "recalls"),
            [(r["root_cause"], r["recalls"]) for r in data["by_root_cause"]],
        )
    )
    console.print(
        _table(
            "By class (enforcement)",
            ("class", "recalls"),
            [(r["classification"], r["recalls"]) for r in data["by_classification"]],
        )
    )
    console.print(
        _table(
            "By reason",
            ("reason", "recalls"),
            [(r["reason"], r["recalls"]) for r in data["by_reason"]],
        )
    )
    _notes(console, data["notes"])
