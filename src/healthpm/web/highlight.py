"""Wrap each flag's evidence sentence in <mark> inside the (escaped) answer text."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from healthpm.domain.feedback.schema import FlagHit


class _Folded:
    """The answer with whitespace runs collapsed to one space and letters lower-cased, and
    where each folded character came from, so evidence is found with `str.find`: linear
    time, unlike the regex it replaces (which held the GIL for seconds on a long answer)."""

    def __init__(self, answer: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        in_space = False
        for i, ch in enumerate(answer):
            if ch.isspace():
                if not in_space:
                    chars.append(" ")
                    origin.append(i)
                in_space = True
                continue
            in_space = False
            low = ch.lower()
            chars.append(low if len(low) == 1 else ch)
            origin.append(i)
        self.text = "".join(chars)
        self.origin = origin


def _fold(text: str) -> str:
    return " ".join(
        "".join(c.lower() if len(c.lower()) == 1 else c for c in w) for w in text.split()
    )


def _find(answer: str, evidence: str, folded: _Folded | None = None) -> tuple[int, int] | None:
    """Where the evidence sits in the answer: exact first, then ignoring case and runs of
    whitespace."""
    text = evidence.strip()
    if not text or len(text) > len(answer):
        return None
    start = answer.find(text)
    if start >= 0:
        return start, start + len(text)
    folded = folded or _Folded(answer)
    needle = _fold(text)
    at = folded.text.find(needle)
    if at < 0:
        return None
    last = at + len(needle) - 1
    return folded.origin[at], folded.origin[last] + 1


def evidence_spans(answer: str, flags: Sequence[FlagHit]) -> list[tuple[int, int, list[str]]]:
    """Non-overlapping (start, end, flag ids) spans; a sentence two flags share is marked once."""
    spans: dict[tuple[int, int], list[str]] = {}
    folded: _Folded | None = None
    for flag in flags:
        text = flag.evidence.strip()
        if text and text not in answer and folded is None:
            folded = _Folded(answer)
        where = _find(answer, flag.evidence, folded)
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
