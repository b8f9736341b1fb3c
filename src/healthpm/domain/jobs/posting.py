"""A posting as read from plain text, a saved HTML page or a CSV row. Nothing is fetched.

A saved page's schema.org `JobPosting` JSON-LD is read when present (title, description,
qualifications, responsibilities, experienceRequirements, baseSalary, hiringOrganization,
jobLocation); otherwise the page's visible text is used.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from healthpm.errors import InvalidInputError

MAX_CHARS = 200_000
MAX_ROWS = 500


@dataclass(frozen=True)
class Salary:
    low: float | None
    high: float | None
    currency: str = "USD"
    unit: str = "YEAR"

    def yearly(self) -> tuple[int | None, int | None]:
        """The range per year (hourly x 2080, monthly x 12)."""
        factor = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12}.get(self.unit.upper(), 1)
        lo = round(self.low * factor) if self.low is not None else None
        hi = round(self.high * factor) if self.high is not None else None
        return lo, hi


@dataclass(frozen=True)
class Posting:
    title: str
    text: str
    company: str = ""
    location: str = ""
    salary: Salary | None = None
    origin: str = "text"
    notes: list[str] = field(default_factory=list)


class _TextAndJsonLd(HTMLParser):
    """Collects visible text, the <title>, and the JSON-LD script blocks of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.jsonld: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_ld = False
        self._in_title = False
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and (dict(attrs).get("type") or "").lower() == "application/ld+json":
            self._in_ld, self._buf = True, []
        elif tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in ("p", "br", "li", "div", "h1", "h2", "h3", "h4", "tr", "section"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.jsonld.append("".join(self._buf))
        elif tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self._buf.append(data)
        elif self._in_title:
            self.title += data
        elif not self._skip:
            self.text.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, one block per line."""
    parser = _TextAndJsonLd()
    parser.feed(markup)
    return _tidy("".join(parser.text))


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _find_job(node: Any) -> dict[str, Any] | None:
    if isinstance(node, list):
        for item in node:
            found = _find_job(item)
            if found:
                return found
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            return node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                found = _find_job(node[key])
                if found:
                    return found
    return None


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(v) for v in value)))
    return str(value or "")


def _location(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(filter(None, (_location(v) for v in value)))
    if isinstance(value, dict):
        address = value.get("address", value)
        if isinstance(address, dict):
            parts = ("addressLocality", "addressRegion", "addressCountry")
            return ", ".join(_name(address.get(p)) for p in parts if address.get(p))
        return _name(address)
    return str(value or "")


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        cleaned = re.sub(r"[^\d.]", "", value)
        try:
            return float(cleaned) if cleaned else None
        except ValueError:
            return None
    return None


def _salary_ld(value: Any) -> Salary | None:
    if not isinstance(value, dict):
        return None
    amount = value.get("value", value)
    currency = str(value.get("currency") or "USD")
    if isinstance(amount, dict):
        low = _number(amount.get("minValue", amount.get("value")))
        high = _number(amount.get("maxValue", amount.get("value")))
        unit = str(amount.get("unitText") or value.get("unitText") or "YEAR")
    else:
        low = high = _number(amount)
        unit = str(value.get("unitText") or "YEAR")
    if low is None and high is None:
        return None
    return Salary(low, high, currency, unit)


def _ld_text(job: dict[str, Any]) -> str:
    fields = (
        "description",
        "responsibilities",
        "qualifications",
        "experienceRequirements",
        "educationRequirements",
        "skills",
    )
    chunks = []
    for key in fields:
        value = job.get(key)
        if isinstance(value, dict):
            value = value.get("description") or _name(value)
        if isinstance(value, list):
            value = "\n".join(_name(v) if isinstance(v, dict) else str(v) for v in value)
        if value:
            chunks.append(html_to_text(str(value)) if "<" in str(value) else str(value))
    return _tidy("\n".join(chunks))


def read_html(markup: str) -> Posting:
    """A posting from a saved page: its JobPosting JSON-LD if any, else its text."""
    parser = _TextAndJsonLd()
    parser.feed(markup)
    for block in parser.jsonld:
        try:
            data = json.loads(block.strip())
        except json.JSONDecodeError:
            continue
        job = _find_job(data)
        if job is not None:
            return Posting(
                title=html.unescape(_name(job.get("title"))).strip(),
                text=_ld_text(job),
                company=_name(job.get("hiringOrganization")),
                location=_location(job.get("jobLocation")),
                salary=_salary_ld(job.get("baseSalary")) or salary_from_text(_ld_text(job)),
                origin="json-ld",
            )
    text = _tidy("".join(parser.text))
    title = _tidy(parser.title).split(" | ")[0].split(" - ")[0].strip()
    notes = ["no JobPosting JSON-LD on the page: read its text"]
    return Posting(
        title or first_line(text), text, salary=salary_from_text(text), origin="html", notes=notes
    )


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


_MONEY = r"\$\s?(\d{2,3}(?:,\d{3})+|\d{2,3}(?:\.\d+)?\s?[kK]|\d{2,3}(?:\.\d+)?)"
_RANGE = re.compile(
    _MONEY + r"\s*(?:-|–|—|to)\s*" + _MONEY + r"(\s*(?:/|per|an|a)\s*(hour|hr|year|yr))?",
    re.IGNORECASE,
)


def _money(raw: str) -> float:
    raw = raw.replace(",", "").replace(" ", "")
    if raw.lower().endswith("k"):
        return float(raw[:-1]) * 1000
    return float(raw)


def salary_from_text(text: str) -> Salary | None:
    """A "$150,000 - $180,000" / "$150K–$180K" / "$60-$75/hour" range written in the text."""
    match = _RANGE.search(text)
    if not match:
        return None
    low, high = _money(match.group(1)), _money(match.group(2))
    unit = (match.group(4) or "").lower()
    hourly = unit in ("hour", "hr") or high < 1000
    if not hourly and high < 1000:
        return None
    return Salary(low, high, "USD", "HOUR" if hourly else "YEAR")


def read_text(text: str) -> Posting:
    """A posting from plain text: the first line is the title."""
    text = _tidy(text)
    if not text:
        raise InvalidInputError("the posting is empty")
    return Posting(first_line(text), text, salary=salary_from_text(text))


def read_posting(data: str, *, name: str = "posting") -> Posting:
    """Plain text or a saved HTML page, told apart by the name and the content."""
    if len(data) > MAX_CHARS:
        raise InvalidInputError(f"{name}: {len(data):,} characters; the limit is {MAX_CHARS:,}")
    looks_html = name.lower().endswith((".html", ".htm")) or re.search(
        r"<(html|body|div|p|script)\b", data[:5000], re.IGNORECASE
    )
    return read_html(data) if looks_html else read_text(data)


_COLUMNS = {
    "title": ("title", "job title", "position", "role"),
    "description": ("description", "job description", "text", "posting", "body"),
    "company": ("company", "employer", "organization", "hiring organization"),
    "location": ("location", "city"),
    "salary": ("salary", "pay", "compensation", "salary range"),
}


def read_csv(data: str, *, name: str = "postings.csv") -> list[Posting]:
    """Postings from a CSV with a title and a description column (others optional)."""
    reader = csv.DictReader(io.StringIO(data))
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    cols = {
        key: next((header[a] for a in alts if a in header), None) for key, alts in _COLUMNS.items()
    }
    if cols["title"] is None or cols["description"] is None:
        raise InvalidInputError(f"{name}: needs a 'title' and a 'description' column")
    out: list[Posting] = []
    for i, row in enumerate(reader, start=2):
        if len(out) >= MAX_ROWS:
            raise InvalidInputError(f"{name}: more than {MAX_ROWS} postings; split the file")
        title = (row.get(cols["title"]) or "").strip()
        body = row.get(cols["description"]) or ""
        if not title and not body.strip():
            continue
        if not body.strip():
            raise InvalidInputError(f"{name}: line {i} has no description")
        text = html_to_text(body) if "<" in body else _tidy(body)
        extra = {k: (row.get(c) or "").strip() if c else "" for k, c in cols.items()}
        salary = salary_from_text(extra["salary"]) if extra["salary"] else None
        out.append(
            Posting(
                title or first_line(text),
                text,
                extra["company"],
                extra["location"],
                salary or salary_from_text(text),
                origin="csv",
            )
        )
    if not out:
        raise InvalidInputError(f"{name}: no postings in the file")
    return out
