"""Talking points judged per point at clause level: covered, partly or missing.

Each content sentence is also split into clauses (at semicolons, "but", "however", "while",
"although", "whereas", dashes). A point's match with a unit (sentence or clause) is the
cosine of their vectors plus LEXICAL_WEIGHT x the share of the point's content words the unit
uses. The best unit decides:
- covered: a unit that does not negate or belittle what the point asserts reaches COVERED
  ("the BAA is mostly a formality" does not cover "no BAA, no PHI"; an odd number of
  negations flips a clause, so "no vendor sees PHI without a BAA" agrees with it);
- partly: match >= MISSING (or a covered-level match that the unit contradicts);
- missing: below MISSING, i.e. nothing in the answer comes close: clearly absent.
COVERED was set on the bank itself: with it, under 2% of the sentences of the nearest other
questions' model answers reach a point. MISSING ("clearly absent") is the loosest threshold
whose "missing" claims are right at least 95% of the time on both labelled coverage sets (773
pairs; 0.25 before, chosen on the first set at 90%, was right only 79% of the time on the second
set); docs/feedback.md gives the precision of both claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from healthpm.domain.feedback.bank import Matrix

LEXICAL_WEIGHT = 0.3
COVERED = 0.75
MISSING = 0.18
_CLAUSE = re.compile(
    r"\s*(?:;|\s[-\u2013\u2014]\s|,?\s+(?:but|however|although|though|while|whereas|yet)\s+)",
    re.IGNORECASE,
)
_STOP = frozenset(
    """a an the of to and or in on for with by is are be as at from that this it its into than
    then their our we you your they them each every any per before after about when if so do
    does did has have had was were will would can could should must may might not no""".split()  # noqa: SIM905
)
#: Negations: an odd count flips what a clause says ("no vendor without a BAA" is positive).
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|don't|doesn't|won't|wouldn't|isn't|aren't|can't|cannot|"
    r"without|skip|skipping)\b",
    re.IGNORECASE,
)
#: Words that belittle what a clause says ("the BAA is mostly a formality").
_DISMISS = re.compile(
    r"\b(?:formality|formalities|checkbox|check-box|box-ticking|paperwork|mostly|just|merely|"
    r"overkill|optional|nice to have|unnecessary|later|afterwards|eventually|someday)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Coverage:
    """The talking-points stage's verdict for one answer."""

    covered: list[str] = field(default_factory=list)
    partly: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """Covered share, partly counting half; None when there are no points."""
        total = len(self.covered) + len(self.partly) + len(self.missing)
        if not total:
            return None
        return (len(self.covered) + 0.5 * len(self.partly)) / total


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence with at least three words (empty if it has only one)."""
    parts = [p.strip(" ,.") for p in _CLAUSE.split(sentence)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if len(parts) > 1 else []


def _tokens(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2} - _STOP


def _negated(text: str) -> bool:
    return len(_NEGATION.findall(text)) % 2 == 1


def _stance(text: str) -> tuple[frozenset[str], bool]:
    """What a text dismisses ("a formality", "not worth ...") and whether it is negated."""
    return frozenset(m.lower() for m in _DISMISS.findall(text)), _negated(text)


def _contradicts(unit: tuple[frozenset[str], bool], point: tuple[frozenset[str], bool]) -> bool:
    return bool(unit[0] - point[0]) or unit[1] != point[1]


def denies(unit: str, point: str) -> bool:
    """The unit negates or belittles what the point states."""
    return _contradicts(_stance(unit), _stance(point))


@dataclass(frozen=True)
class Match:
    """How well the answer makes one point: the best unit that agrees with it, and the best
    unit at all (a unit that denies the point can make it "partly", never "covered")."""

    agreeing: float
    any: float


def matches(
    points: Sequence[str], point_vectors: Matrix, units: Sequence[str], unit_vectors: Matrix
) -> list[Match]:
    """Cosine plus LEXICAL_WEIGHT x shared-word share, best over the answer's units."""
    if not units or unit_vectors.shape[0] == 0:
        return [Match(-1.0, -1.0) for _ in points]
    sims = unit_vectors @ point_vectors.T
    unit_tokens = [_tokens(u) for u in units]
    unit_stances = [_stance(u) for u in units]  # once per unit, not once per (unit, point)
    out: list[Match] = []
    for j, point in enumerate(points):
        wanted = _tokens(point) or {""}
        lexical = np.array([len(wanted & t) / len(wanted) for t in unit_tokens])
        match = sims[:, j] + LEXICAL_WEIGHT * lexical
        stance = _stance(point)
        agreeing = np.array([not _contradicts(u, stance) for u in unit_stances])
        best_agreeing = float(match[agreeing].max()) if agreeing.any() else -1.0
        out.append(Match(best_agreeing, float(match.max())))
    return out


def state(match: Match, covered: float = COVERED, missing: float = MISSING) -> str:
    """covered / partly / missing from a point's match and the two thresholds."""
    if match.agreeing >= covered:
        return "covered"
    return "partly" if match.any >= missing else "missing"


def judge(
    points: Sequence[str],
    point_vectors: Matrix,
    units: Sequence[str],
    unit_vectors: Matrix,
) -> Coverage:
    """Judge every point against the answer's sentences and clauses."""
    if not points:
        return Coverage()
    verdict: dict[str, list[str]] = {"covered": [], "partly": [], "missing": []}
    for point, match in zip(
        points, matches(points, point_vectors, units, unit_vectors), strict=True
    ):
        verdict[state(match)].append(point)
    return Coverage(verdict["covered"], verdict["partly"], verdict["missing"])
