"""The views a regulatory PM reaches for after the failure-mode map: narrative search,
failure modes per quarter, manufacturers and brands within a product code, PMA approvals.

Narrative search uses healthpm's own word index (table narrative_word, filled at import), not
DuckDB's FTS extension: that extension is downloaded on first use, which an offline install
cannot do (the PyPI wheel duckdb-ext-fts is built for DuckDB 1.4, this store runs 2.0). The index
holds each narrative word of 3+ letters once per report, so a search is a join on a few words.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from healthpm.errors import InvalidInputError
from healthpm.fda import queries, reference
from healthpm.fda.datasets import STOP_WORDS
from healthpm.fda.queries import DESCRIPTION_TYPE, _rows, _since_date

MAX_WORDS = 6
SEARCH_LIMIT = 50
TREND_CATEGORIES = 6
_WORD = re.compile(r"[a-z0-9]+")
COUNTS_NOT_RATES = (
    "Counts of reports, not rates: MAUDE has no usage denominators, so a manufacturer or brand "
    "with more devices in use files more reports. Do not read a larger count as a less safe "
    "device."
)


def query_words(text: str) -> list[str]:
    """The indexed words of a search: lower case, 3+ characters, no stop words."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in STOP_WORDS]
    words = list(dict.fromkeys(words))
    if not words:
        raise InvalidInputError(
            "search for at least one word of 3 or more letters, e.g. occlusion or bluetooth"
        )
    return words[:MAX_WORDS]


def search_narratives(
    con: duckdb.DuckDBPyConnection,
    text: str,
    *,
    codes: list[str] | None = None,
    since: int | None = None,
    limit: int = SEARCH_LIMIT,
) -> dict[str, Any]:
    """Reports whose narratives contain every word of text, most recent first."""
    words = query_words(text)
    params: dict[str, Any] = {f"w{i}": w for i, w in enumerate(words)}
    # one equality per word: rows are sorted by word within each file, so DuckDB's zone maps
    # skip nearly every row group (a list filter or IN would read them all)
    hit_sql = " INTERSECT ".join(
        f"SELECT rid FROM narrative_word WHERE word = $w{i}" for i in range(len(words))
    )
    scope = ""
    if codes:
        scope += (
            " AND rid IN (SELECT rid FROM event_device WHERE list_contains($codes, product_code))"
        )
        params["codes"] = codes
    if since:
        scope += " AND rid IN (SELECT rid FROM event WHERE date_received >= $since::DATE)"
        params["since"] = _since_date(since)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE search_hit AS SELECT rid FROM ({hit_sql}) WHERE true{scope}",
        params,
    )
    total = queries._scalar(con, "SELECT count(*) FROM search_hit")
    hits = _rows(
        con,
        "SELECT e.rid, e.mdr_report_key, e.date_received, e.event_type, e.file_id,"
        " coalesce(f.synthetic, false) AS synthetic FROM event e JOIN (SELECT rid FROM"
        " search_hit ORDER BY rid DESC LIMIT $limit) h USING (rid)"
        " LEFT JOIN imported_file f USING (file_id)"
        " ORDER BY e.date_received DESC NULLS LAST, e.rid DESC",
        {"limit": limit},
    )
    texts = _texts(con, [int(h["rid"]) for h in hits])
    devices = _devices(con, [int(h["rid"]) for h in hits])
    rows = [
        {
            "mdr_report_key": h["mdr_report_key"],
            "date_received": h["date_received"],
            "event_type": h["event_type"],
            "product_codes": devices.get(h["rid"], ""),
            "excerpt": excerpt_around(texts.get(h["rid"], ""), words),
            "synthetic": h["synthetic"],
        }
        for h in hits
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE scope_report AS SELECT rid, file_id FROM event"
                " WHERE rid IN (SELECT rid FROM search_hit)")  # fmt: skip
    return {"query": text, "words": words, "reports": total, "shown": len(rows), "rows": rows}


def _texts(con: duckdb.DuckDBPyConnection, rids: list[int]) -> dict[int, str]:
    if not rids:
        return {}
    found = con.execute(
        "SELECT rid, string_agg(text, ' ' ORDER BY (lower(text_type_code) ="
        f" '{DESCRIPTION_TYPE}') DESC, mdr_text_key) FROM narrative"
        " WHERE list_contains($rids, rid) GROUP BY rid",
        {"rids": rids},
    ).fetchall()
    return {int(r[0]): str(r[1] or "") for r in found}


def _devices(con: duckdb.DuckDBPyConnection, rids: list[int]) -> dict[int, str]:
    if not rids:
        return {}
    found = con.execute(
        "SELECT rid, string_agg(DISTINCT product_code, ', ') FROM event_device"
        " WHERE list_contains($rids, rid) GROUP BY rid",
        {"rids": rids},
    ).fetchall()
    return {int(r[0]): str(r[1] or "") for r in found}


def excerpt_around(text: str, words: list[str], width: int = 240) -> str:
    """A window of the text around the first matched word."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    starts = [m.start() for w in words if (m := re.search(rf"\b{re.escape(w)}", lowered))]
    start = max(0, min(starts) - width // 3) if starts else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def failure_trend(con: duckdb.DuckDBPyConnection, since: int | None = None) -> dict[str, Any]:
    """Reports per quarter received and IMDRF level-1 category, for the scoped reports.

    Reads temp tables scope_report/scope_problem (queries.scope_reports). Each quarter also
    carries all reports received, the denominator the counts are read against."""
    names = reference.level1_names()
    rows = _rows(
        con,
        "SELECT year(s.date_received) || '-Q' || quarter(s.date_received) AS quarter,"
        " v.level1_code, count(DISTINCT s.rid) AS reports FROM scope_report s"
        " JOIN scope_problem p USING (rid) JOIN term_vocab v USING (term_id)"
        " WHERE v.level1_code IS NOT NULL AND s.date_received IS NOT NULL"
        " AND NOT list_contains($apart, v.level1_code) GROUP BY ALL ORDER BY quarter",
        {"apart": sorted(reference.UNINFORMATIVE_DEVICE_CATEGORIES)},
    )
    totals = {
        r["quarter"]: r["reports"]
        for r in _rows(
            con,
            "SELECT year(date_received) || '-Q' || quarter(date_received) AS quarter,"
            " count(*) AS reports FROM scope_report WHERE date_received IS NOT NULL"
            " GROUP BY ALL ORDER BY quarter",
        )
    }
    by_category: dict[str, int] = {}
    for r in rows:
        by_category[r["level1_code"]] = by_category.get(r["level1_code"], 0) + r["reports"]
    top = sorted(by_category, key=lambda c: (-by_category[c], c))[:TREND_CATEGORIES]
    series = [
        {
            "quarter": r["quarter"],
            "imdrf_code": r["level1_code"],
            "category": names.get(r["level1_code"], r["level1_code"]),
            "reports": r["reports"],
            "all_reports": totals.get(r["quarter"], 0),
        }
        for r in rows
        if r["level1_code"] in top
    ]
    return {
        "quarters": [{"quarter": q, "all_reports": n} for q, n in totals.items()],
        "categories": [{"imdrf_code": c, "category": names.get(c, c)} for c in top],
        "series": series,
        "undated_reports": queries._scalar(
            con, "SELECT count(*) FROM scope_report WHERE date_received IS NULL"
        ),
    }


_SUFFIX = re.compile(
    r"[,.]?\s+(INCORPORATED|INC|LLC|L\.L\.C|LTD|LIMITED|CORP|CORPORATION|CO|COMPANY|GMBH|AG|SA|"
    r"S\.A|PLC|USA|US|LP)\.?$"
)


def normalize_firm(name: str | None) -> str:
    """Manufacturer name folded for grouping: upper case, no punctuation runs, no Inc/LLC."""
    text = " ".join(str(name or "").upper().replace("&", " AND ").split())
    previous = None
    while previous != text:
        previous, text = text, _SUFFIX.sub("", text).strip(" ,.")
    return text or "(not given)"


def manufacturers(con: duckdb.DuckDBPyConnection, code: str, since: int | None) -> dict[str, Any]:
    """Reports per manufacturer and brand under one product code (counts, never rates)."""
    params = {"code": code, "since": _since_date(since)}
    raw = _rows(
        con,
        "SELECT manufacturer_name, brand_name, count(DISTINCT rid) AS reports,"
        " count(DISTINCT rid) FILTER (WHERE event_type = 'Death') AS deaths,"
        " count(DISTINCT rid) FILTER (WHERE event_type = 'Injury') AS injuries,"
        " count(DISTINCT rid) FILTER (WHERE event_type = 'Malfunction') AS malfunctions,"
        " list(DISTINCT rid) AS rids FROM event_device WHERE product_code = $code AND"
        " (date_received IS NULL OR date_received >= $since::DATE) GROUP BY ALL",
        params,
    )
    firms: dict[str, dict[str, Any]] = {}
    for row in raw:
        key = normalize_firm(row["manufacturer_name"])
        firm = firms.setdefault(
            key,
            {"manufacturer": key, "spellings": set(), "rids": set(), "brands": {}},
        )
        firm["spellings"].add(row["manufacturer_name"] or "(not given)")
        firm["rids"].update(row["rids"])
        brand = " ".join(str(row["brand_name"] or "(not given)").upper().split())
        entry = firm["brands"].setdefault(
            brand, {"brand": brand, "reports": 0, "deaths": 0, "injuries": 0, "malfunctions": 0}
        )
        for k in ("reports", "deaths", "injuries", "malfunctions"):
            entry[k] += row[k]
    total = queries._scalar(
        con,
        "SELECT count(DISTINCT rid) FROM event_device WHERE product_code = $code AND"
        " (date_received IS NULL OR date_received >= $since::DATE)",
        params,
    )
    out = []
    for firm in firms.values():
        brands = sorted(firm["brands"].values(), key=lambda b: (-b["reports"], b["brand"]))
        out.append(
            {
                "manufacturer": firm["manufacturer"],
                "reports": len(firm["rids"]),
                "deaths": sum(b["deaths"] for b in brands),
                "injuries": sum(b["injuries"] for b in brands),
                "malfunctions": sum(b["malfunctions"] for b in brands),
                "spellings": sorted(firm["spellings"]),
                "brands": brands,
            }
        )
    out.sort(key=lambda f: (-f["reports"], f["manufacturer"]))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_report AS SELECT rid, any_value(file_id) AS file_id"
        " FROM event_device WHERE product_code = $code AND"
        " (date_received IS NULL OR date_received >= $since::DATE) GROUP BY rid",
        params,
    )
    return {"reports": total, "manufacturers": out}


def pma_approvals(con: duckdb.DuckDBPyConnection, code: str, limit: int = 15) -> dict[str, Any]:
    """PMA originals and supplements under a product code (openFDA device/pma)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_pma AS SELECT * FROM pma WHERE product_code = ?",
        [code],
    )
    by_year = _rows(
        con,
        "SELECT year(decision_date) AS year, count(*) FILTER (WHERE supplement_number IS NULL)"
        " AS originals, count(*) FILTER (WHERE supplement_number IS NOT NULL) AS supplements"
        " FROM scope_pma GROUP BY ALL ORDER BY year",
    )
    recent = _rows(
        con,
        "SELECT p.pma_number, p.supplement_number, p.applicant, p.trade_name, p.decision_date,"
        " p.decision_code, p.supplement_type, coalesce(f.synthetic, false) AS synthetic"
        " FROM scope_pma p LEFT JOIN imported_file f USING (file_id)"
        " ORDER BY (p.supplement_number IS NULL) DESC, p.decision_date DESC NULLS LAST LIMIT ?",
        [limit],
    )
    total = queries._scalar(con, "SELECT count(*) FROM scope_pma")
    return {"records": total, "by_year": by_year, "recent": recent}
