"""Wrap each flag's evidence sentence in <mark> inside the (escaped) answer text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from healthpm.domain.feedback.schema import FlagHit


def _find(answer: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence sits in the answer: exact first, then ignoring runs of whitespace."""
    text = evidence.strip()
    if not text:
        return None
    start = answer.find(text)
    if start >= 0:
        return start, start + len(text)
    pattern = r"\s+".join(re.escape(word) for word in text.split())
    found = re.search(pattern, answer, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def evidence_spans(answer: str, flags: Sequence[FlagHit]) -> list[tuple[int, int, list[str]]]:
    """Non-overlapping (start, end, flag ids) spans; a sentence two flags share is marked once."""
    spans: dict[tuple[int, int], list[str]] = {}
    for flag in flags:
        where = _find(answer, flag.evidence)
        if where is not None:
            spans.setdefault(where, []).append(flag.id)
    kept: list[tuple[int, int, list[str]]] = []
    for (start, end), ids in sorted(spans.items()):
        if kept and start < kept[-1][1]:
            kept[-1][2].extend(ids)  # overlapping evidence: keep the first span, name both flags
            continue
        kept.append((start, end, ids))
    return kept


def highlight_answer(answer: str, flags: Sequence[FlagHit]) -> Markup:
    """The answer as safe HTML with each evidence sentence in <mark data-evidence-for=...>."""
    parts: list[str] = []
    cursor = 0
    for start, end, ids in evidence_spans(answer, flags):
        parts.append(str(escape(answer[cursor:start])))
        names = " ".join(ids)
        parts.append(
            f'<mark data-evidence-for="{escape(names)}" id="evidence-{escape(ids[0])}">'
            f"{escape(answer[start:end])}</mark>"
        )
        cursor = end
    parts.append(str(escape(answer[cursor:])))
    return Markup("".join(parts))
