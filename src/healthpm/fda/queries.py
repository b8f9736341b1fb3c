"""Read-only questions over the store: failure modes, review times, predicates, recalls.

Each function takes an open DuckDB connection and plain arguments and returns plain dicts (the
CLI prints them as tables or JSON). Counts are counts of reports/records, always with their
denominator; MAUDE has no usage denominators, so no rate is ever computed (DOMAIN-FACTS F23).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from healthpm.fda import reference

EXCERPT_CHARS = 240


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> int:
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _since_date(since: int | None) -> str:
    return f"{since or 1900:04d}-01-01"


def scope_reports(con: duckdb.DuckDBPyConnection, codes: Sequence[str], since: int | None) -> int:
    """Fill temp tables `scope_report` (reports naming any code) and `scope_problem` (their
    device-problem term ids); returns the number of reports. Later queries read only these."""
    date_filter = f" AND date_received >= DATE '{_since_date(since)}'" if since else ""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_report AS SELECT rid, any_value(date_received) AS"
        " date_received, any_value(event_type) AS event_type, any_value(file_id) AS file_id"
        f" FROM event_device WHERE list_contains($codes, product_code){date_filter}"
        " GROUP BY rid",
        {"codes": list(codes)},
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_problem AS SELECT rid, term_id"
        " FROM event_product_problem WHERE rid IN (SELECT rid FROM scope_report)"
    )
    return _scalar(con, "SELECT count(*) FROM scope_report")


def device_problems(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Problem terms of the scoped reports, grouped by IMDRF Annex A level-1 category."""
    counts = _rows(  # one pass: per term, per category, and overall distinct reports
        con,
        "SELECT p.term_id, v.level1_code, count(DISTINCT p.rid) AS reports,"
        " grouping(p.term_id) AS by_category, grouping(v.level1_code) AS by_term"
        " FROM scope_problem p JOIN term_vocab v USING (term_id)"
        " GROUP BY GROUPING SETS ((p.term_id, v.level1_code), (v.level1_code), ())",
    )
    vocab = {
        r["term_id"]: r
        for r in _rows(
            con,
            "SELECT term_id, term, imdrf_a_code AS imdrf_code, level1_code FROM term_vocab"
            " WHERE term_id IN (SELECT DISTINCT term_id FROM scope_problem)",
        )
    }
    terms = sorted(
        ({**vocab[r["term_id"]], "reports": r["reports"]} for r in counts
         if not r["by_category"]),
        key=lambda t: (-t["reports"], t["term"]),
    )  # fmt: skip
    per_category = {
        r["level1_code"]: r["reports"]
        for r in counts
        if r["by_category"] and not r["by_term"] and r["level1_code"] is not None
    }
    overall = next((r["reports"] for r in counts if r["by_category"] and r["by_term"]), 0)
    return _group_terms(terms, per_category, overall)


def _is_uninformative(term: str, level1: str | None) -> bool:
    lowered = term.lower()
    return lowered in reference.UNINFORMATIVE_DEVICE_TERMS or (
        level1 in reference.UNINFORMATIVE_DEVICE_CATEGORIES
    )


def _group_terms(
    terms: list[dict[str, Any]], per_category: dict[str, int], with_terms: int
) -> dict[str, Any]:
    names = reference.level1_names()
    categories: dict[str, dict[str, Any]] = {}
    uninformative, unmapped = [], []
    for row in terms:
        item = {"term": row["term"], "imdrf_code": row["imdrf_code"], "reports": row["reports"]}
        if _is_uninformative(row["term"], row["level1_code"]):
            uninformative.append(item)
        elif row["level1_code"] is None:
            unmapped.append(item)
        else:
            code = row["level1_code"]
            category = categories.setdefault(
                code,
                {
                    "imdrf_code": code,
                    "category": names.get(code, code),
                    "reports": per_category.get(code, 0),
                    "terms": [],
                },
            )
            category["terms"].append(item)
    ordered = sorted(categories.values(), key=lambda c: (-c["reports"], c["imdrf_code"]))
    return {
        "reports_with_problem_terms": with_terms,
        "categories": ordered,
        "uninformative": uninformative,
        "unmapped": unmapped,
    }


def patient_problems(con: duckdb.DuckDBPyConnection, top: int = 12) -> dict[str, Any]:
    """Patient problem terms of the scoped reports; 'no impact' style terms kept apart."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_patient AS SELECT rid, term_id FROM"
        " event_patient_problem WHERE rid IN (SELECT rid FROM scope_report)"
    )
    rows = _rows(
        con,
        "SELECT v.term, c.reports FROM (SELECT term_id, count(DISTINCT rid) AS reports"
        " FROM scope_patient GROUP BY ALL) c JOIN term_vocab v USING (term_id)"
        " ORDER BY reports DESC, v.term",
    )
    with_terms = _scalar(con, "SELECT count(DISTINCT rid) FROM scope_patient")
    apart = [r for r in rows if r["term"].lower() in reference.UNINFORMATIVE_PATIENT_TERMS]
    kept = [r for r in rows if r["term"].lower() not in reference.UNINFORMATIVE_PATIENT_TERMS]
    return {
        "reports_with_patient_problems": with_terms,
        "terms": kept[:top],
        "more_terms": max(0, len(kept) - top),
        "uninformative": apart,
    }


def event_types_by_year(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Reports per year of receipt and event type (Death, Injury, Malfunction, ...)."""
    rows = _rows(
        con,
        "SELECT year(date_received) AS year, coalesce(event_type, 'No answer provided') AS type,"
        " count(*) AS reports FROM scope_report GROUP BY ALL ORDER BY year",
    )
    by_year: dict[Any, dict[str, Any]] = {}
    for row in rows:
        entry = by_year.setdefault(row["year"], {"year": row["year"], "total": 0})
        entry[row["type"]] = row["reports"]
        entry["total"] += row["reports"]
    return list(by_year.values())


DESCRIPTION_TYPE = "description of event or problem"


def example_narratives(con: duckdb.DuckDBPyConnection, limit: int = 3) -> list[dict[str, Any]]:
    """Excerpts of the most recent death/injury reports (malfunctions if none).

    A report holds several texts (the event description, the manufacturer's narrative, the
    evaluation summary); the excerpt is the "Description of Event or Problem" when there is one.
    """
    keys = _rows(
        con,
        "SELECT rid, date_received, event_type, file_id FROM scope_report"
        " ORDER BY (event_type IN ('Death', 'Injury')) DESC, date_received DESC NULLS LAST,"
        " rid DESC LIMIT $n",
        {"n": limit},
    )
    if not keys:
        return []
    rids = [int(k["rid"]) for k in keys]
    texts = {
        r["rid"]: r
        for r in _rows(
            con,
            "SELECT rid, any_value(mdr_report_key) AS mdr_report_key, first(text ORDER BY"
            f" (lower(text_type_code) = '{DESCRIPTION_TYPE}') DESC, mdr_text_key, text) AS text"
            " FROM narrative"
            f" WHERE rid BETWEEN {min(rids)} AND {max(rids)}"  # integers: safe to inline
            f" AND rid IN ({', '.join(map(str, rids))}) GROUP BY ALL",
        )
    }
    synthetic = _synthetic_files(con)
    return [
        {
            "mdr_report_key": texts.get(k["rid"], {}).get("mdr_report_key", str(k["rid"])),
            "date_received": k["date_received"],
            "event_type": k["event_type"],
            "excerpt": _excerpt(texts.get(k["rid"], {}).get("text")),
            "synthetic": k["file_id"] in synthetic,
        }
        for k in keys
    ]


def _synthetic_files(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {
        int(r[0])
        for r in con.execute("SELECT file_id FROM imported_file WHERE synthetic").fetchall()
    }


def _excerpt(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def synthetic_share(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    """How many rows of a scoped temp table came from synthetic files."""
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE f.synthetic) FROM {table} t"
        " LEFT JOIN imported_file f ON f.file_id = t.file_id"
    ).fetchone()
    return {"rows": int(row[0]) if row else 0, "synthetic": int(row[1]) if row else 0}


def source_line(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """Where the FDA rows of a scoped temp table come from: dataset, export date, files.

    None when no row came from an imported FDA file (only synthetic or seeded rows)."""
    files = _rows(
        con,
        "SELECT f.dataset, coalesce(NULLIF(f.export_date, ''), NULLIF(f.last_updated, ''))"
        " AS exported, coalesce(NULLIF(f.path, ''), f.name) AS name, count(*) AS rows"
        f" FROM {table} t JOIN imported_file f ON f.file_id = t.file_id"
        " WHERE NOT f.synthetic GROUP BY ALL ORDER BY f.dataset, name",
    )
    if not files:
        return None
    parts = []
    for dataset in dict.fromkeys(f["dataset"] for f in files):
        mine = [f for f in files if f["dataset"] == dataset]
        dates = sorted({str(f["exported"]) for f in mine if f["exported"]})
        names = [f["name"] for f in mine]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        when = f"exported {' / '.join(dates)}" if dates else "export date not given"
        rows = sum(f["rows"] for f in mine)
        parts.append(
            f"openFDA {dataset.replace('device-', 'device/')}, {when}; {rows} records from "
            f"{len(names)} file{'s' if len(names) != 1 else ''} ({shown})"
        )
    return "Source: " + "; ".join(parts) + "."


def category_evidence(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per IMDRF level-1 category of the scoped reports: reports, deaths, injuries, harms seen."""
    cat = (
        "SELECT DISTINCT p.rid, v.level1_code, s.event_type FROM scope_problem p"
        " JOIN scope_report s USING (rid) JOIN term_vocab v USING (term_id)"
        " WHERE v.level1_code IS NOT NULL"
    )
    outcome = (  # patient outcomes per report, FDA's letters or words
        "SELECT rid, bool_or(outcome IN ('D', 'DEATH')) AS died,"
        " bool_or(outcome IN ('L', 'LIFE THREATENING')) AS life,"
        " bool_or(outcome IN ('S', 'DISABILITY')) AS disabled,"
        " bool_or(outcome IN ('H', 'HOSPITALIZATION')) AS hosp,"
        " bool_or(outcome IN ('R', 'REQUIRED INTERVENTION')) AS interv"
        " FROM event_patient_outcome WHERE rid IN (SELECT rid FROM scope_report) GROUP BY rid"
    )
    rows = _rows(
        con,
        f"SELECT c.level1_code, count(*) AS reports,"
        f" count(*) FILTER (WHERE c.event_type = 'Death' OR o.died) AS deaths,"
        f" count(*) FILTER (WHERE c.event_type = 'Injury') AS injuries,"
        f" count(*) FILTER (WHERE o.life) AS life_threatening,"
        f" count(*) FILTER (WHERE o.disabled) AS disabilities,"
        f" count(*) FILTER (WHERE o.hosp) AS hospitalizations,"
        f" count(*) FILTER (WHERE o.interv) AS interventions"
        f" FROM ({cat}) c LEFT JOIN ({outcome}) o USING (rid)"
        f" GROUP BY ALL ORDER BY reports DESC, c.level1_code",
    )
    harms = _rows(
        con,
        f"SELECT c.level1_code, v.term, count(DISTINCT pp.rid) AS reports FROM ({cat}) c"
        " JOIN event_patient_problem pp USING (rid) JOIN term_vocab v ON v.term_id = pp.term_id"
        " GROUP BY ALL ORDER BY reports DESC, v.term",
    )
    names = reference.level1_names()
    for row in rows:
        row["category"] = names.get(row["level1_code"], row["level1_code"])
        row["harms"] = [
            {"term": h["term"], "reports": h["reports"]}
            for h in harms
            if h["level1_code"] == row["level1_code"]
            and h["term"].lower() not in reference.UNINFORMATIVE_PATIENT_TERMS
        ][:3]
    return [r for r in rows if r["level1_code"] not in reference.UNINFORMATIVE_DEVICE_CATEGORIES]
