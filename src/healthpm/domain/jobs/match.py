"""Match a posting to a level, competencies, credentials, regulatory domains and pay; and,
given a profile, the fit and the gaps. Pure: the catalog and profile are passed in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from healthpm.domain.jobs import signals
from healthpm.domain.jobs.level import infer_level
from healthpm.domain.jobs.phrases import COMPETENCY_PHRASES
from healthpm.domain.jobs.posting import Posting

#: background id -> credentials a person of that background is taken to hold
BACKGROUND_CREDENTIALS = {
    "nurse": {"rn", "bsn", "clinical-background", "active-license"},
    "pharmacist": {"pharmd", "clinical-background", "active-license"},
    "physician": {"md", "clinical-background", "active-license"},
    "other-clinician": {"therapist", "clinical-background", "active-license"},
}
#: Fit points lost per credential the person lacks.
MISSING_REQUIRED = 25
MISSING_PREFERRED = 5
LEVEL_STEP = 10
MAX_PHRASES = 3


@dataclass(frozen=True)
class Line:
    text: str
    preferred: bool


def _lines(text: str) -> list[Line]:
    """Lines, each marked preferred when its own wording or its section says so."""
    out = []
    section_preferred = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        short = len(line) < 60
        if short and signals.PREFERRED_HEADING.search(line):
            section_preferred = True
        elif short and signals.REQUIRED_HEADING.search(line):
            section_preferred = False
        own_pref = bool(signals.PREFERRED.search(line))
        own_req = bool(signals.REQUIRED.search(line)) and not own_pref
        out.append(Line(line, own_pref or (section_preferred and not own_req)))
    return out


def _snippet(line: str, match: re.Match[str], width: int = 60) -> str:
    start, end = max(0, match.start() - width), min(len(line), match.end() + width)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def licensure(text: str) -> list[dict[str, Any]]:
    """Credentials and clinical-background requirements, required or preferred, with phrase."""
    found: dict[str, dict[str, Any]] = {}
    for line in _lines(text):
        for sig in signals.LICENSURE:
            match = sig.pattern.search(line.text)
            if not match:
                continue
            entry = found.get(sig.id)
            required = not line.preferred
            if entry is None or (required and not entry["required"]):
                found[sig.id] = {
                    "id": sig.id,
                    "name": sig.label,
                    "kind": sig.kind,
                    "required": required,
                    "phrase": _snippet(line.text, match),
                }
    return list(found.values())


def regulatory(text: str) -> list[dict[str, Any]]:
    """Regulatory domains the posting names (glossary ids), with the phrase."""
    out = []
    for sig in signals.REGULATORY:
        match = sig.pattern.search(text)
        if match:
            out.append({"id": sig.id, "name": sig.label, "phrase": match.group(0)})
    return out


def competencies(text: str, catalog: Any, level: str) -> list[dict[str, Any]]:
    """Competencies the text asks for, with the phrases that triggered each."""
    out = []
    for comp_id, pattern in COMPETENCY_PHRASES.items():
        if comp_id not in catalog.competencies:
            continue
        phrases: list[str] = []
        for match in pattern.finditer(text):
            phrase = match.group(0)
            if phrase.lower() not in (p.lower() for p in phrases):
                phrases.append(phrase)
        if phrases:
            comp = catalog.competencies[comp_id]
            out.append(
                {
                    "id": comp_id,
                    "name": comp.name,
                    "expected": int(comp.expected.get(level, 0)),
                    "rating": None,
                    "phrases": phrases[:MAX_PHRASES],
                    "mentions": len(phrases),
                }
            )
    out.sort(key=lambda c: (-c["mentions"], -c["expected"], c["id"]))
    return out


def salary(posting: Posting, catalog: Any, level: str) -> dict[str, Any]:
    """The posted range (per year) beside every published band for the level, never averaged."""
    posted = None
    low = high = None
    if posting.salary is not None:
        low, high = posting.salary.yearly()
        posted = {
            "low": posting.salary.low,
            "high": posting.salary.high,
            "currency": posting.salary.currency,
            "unit": posting.salary.unit,
            "yearly_low": low,
            "yearly_high": high,
        }
    bands = []
    for band in catalog.salaries.values():
        if band.level != level:
            continue
        bands.append(
            {
                "id": band.id,
                "company_type": band.company_type,
                "low_usd": band.low_usd,
                "high_usd": band.high_usd,
                "open_top": band.open_top,
                "year": band.year,
                "source": band.source,
                "posted_vs_band": _compare(low, high, band.low_usd, band.high_usd, band.open_top),
            }
        )
    return {"posted": posted, "level": level, "bands": bands}


def _compare(
    low: int | None, high: int | None, b_low: int | None, b_high: int | None, open_top: bool
) -> str | None:
    if low is None and high is None:
        return None
    top = high if high is not None else low
    bottom = low if low is not None else high
    assert top is not None and bottom is not None
    if b_low is not None and top < b_low:
        return "below"
    if b_high is not None and not open_top and bottom > b_high:
        return "above"
    inside_low = b_low is None or bottom >= b_low
    inside_high = open_top or b_high is None or top <= b_high
    return "within" if inside_low and inside_high else "overlaps"


@dataclass
class Match:
    """A posting's match; `as_dict` is the `jobs match --json` contract."""

    title: str
    company: str
    location: str
    origin: str
    level: str
    level_name: str
    fit: int | None
    competencies: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    licensure: list[dict[str, Any]]
    regulatory: list[dict[str, Any]]
    salary: dict[str, Any]
    explanation: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _credentials(profile: Any) -> set[str]:
    held = set(BACKGROUND_CREDENTIALS.get(profile.background, set()))
    words = " ".join([profile.current_role or "", *profile.evidence.values()])
    for sig in signals.LICENSURE:
        if sig.pattern.search(words):
            held.add(sig.id)
    return held


def _fit(result: Match, profile: Any, catalog: Any) -> None:
    """Fill fit (0-100), the ratings, the gaps and their explanation for a profile."""
    ratios = []
    for comp in result.competencies:
        rating = int(profile.ratings.get(comp["id"], 0))
        comp["rating"] = rating
        expected = comp["expected"]
        ratios.append(1.0 if expected == 0 else min(rating / expected, 1.0))
        if rating < expected:
            result.gaps.append(
                {
                    "kind": "competency",
                    "id": comp["id"],
                    "name": comp["name"],
                    "expected": expected,
                    "rating": rating,
                }
            )
    skills = 100 * sum(ratios) / len(ratios) if ratios else 50.0
    result.explanation.append(
        f"skills: {skills:.0f}/100 from your ratings against the {result.level_name} bar "
        f"on the {len(ratios)} competencies the posting names"
    )
    held = _credentials(profile)
    penalty = 0
    for lic in result.licensure:
        if lic["id"] in held:
            continue
        cost = MISSING_REQUIRED if lic["required"] else MISSING_PREFERRED
        penalty += cost
        result.gaps.append(
            {"kind": "licensure", "id": lic["id"], "name": lic["name"], "required": lic["required"]}
        )
        state = "required" if lic["required"] else "preferred"
        result.explanation.append(f"-{cost}: {lic['name']} is {state} and your profile lacks it")
    order = [lv.id for lv in catalog.levels_ascending()]
    steps = abs(order.index(result.level) - order.index(profile.target_level))
    if steps:
        penalty += LEVEL_STEP * steps
        result.explanation.append(
            f"-{LEVEL_STEP * steps}: the posting is {steps} level(s) from your target "
            f"({catalog.levels[profile.target_level].name})"
        )
    result.fit = max(0, min(100, round(skills - penalty)))


def match_posting(posting: Posting, catalog: Any, profile: Any | None = None) -> Match:
    """Everything the matcher reads from one posting; fit and gaps when a profile is given."""
    text = f"{posting.title}\n{posting.text}"
    call = infer_level(posting.title, posting.text, catalog)
    result = Match(
        title=posting.title,
        company=posting.company,
        location=posting.location,
        origin=posting.origin,
        level=call.level,
        level_name=catalog.levels[call.level].name,
        fit=None,
        competencies=competencies(text, catalog, call.level),
        gaps=[],
        licensure=licensure(text),
        regulatory=regulatory(text),
        salary=salary(posting, catalog, call.level),
        explanation=[*call.explanation, *posting.notes],
    )
    if profile is None:
        result.explanation.append("no profile: fit and gaps need one (--profile FILE)")
    else:
        _fit(result, profile, catalog)
    result.gaps.sort(key=lambda g: (g["kind"] != "licensure", -g.get("expected", 0)))
    return result
