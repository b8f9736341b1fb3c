"""The competencies a target level expects that no story proves yet. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: A level "expects" a competency it rates Practicing (2) or higher: below that, a story
#: proving it is welcome but not something a panel will probe for.
EXPECTED_MIN = 2


@dataclass(frozen=True)
class Gap:
    competency: str
    name: str
    expected: int
    must_have: bool
    suggestion: str


def story_gaps(catalog: Any, *, level: str, proven: Iterable[str]) -> list[Gap]:
    """Expected competencies of `level` with no proving story, must-haves and higher bars first."""
    have = set(proven)
    gaps = []
    for comp in catalog.competencies.values():
        expected = int(comp.expected.get(level, 0))
        if expected < EXPECTED_MIN or comp.id in have:
            continue
        marker = comp.evidence_markers[0] if comp.evidence_markers else comp.description
        gaps.append(Gap(comp.id, comp.name, expected, level in comp.must_have, marker))
    gaps.sort(key=lambda g: (not g.must_have, -g.expected, g.name))
    return gaps
