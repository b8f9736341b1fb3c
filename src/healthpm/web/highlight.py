"""Wrap each flag's evidence sentence in <mark> inside the (escaped) answer text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from markupsafe import Markup, escape

from healthpm.domain.feedback.schema import FlagHit


class _Folded:
    """The answer with whitespace runs collapsed to one space and words lower-cased, and
    where each word came from, so evidence is found with `str.find`: linear time, unlike the
    regex it replaces (which held the GIL for seconds on a long answer)."""

    def __init__(self, answer: str) -> None:
        words: list[str] = []
        self.starts: list[int] = []  # where each word starts in the folded text
        self.origins: list[int] = []  # ... and in the answer
        at = 0
        for match in _WORD.finditer(answer):
            word = _fold_word(match.group())
            at += 1 if words else 0
            self.starts.append(at)
            self.origins.append(match.start())
            words.append(word)
            at += len(word)
        self.text = " ".join(words)

    def original(self, index: int) -> int:
        """The answer position of a (non-space) character of the folded text."""
        word = bisect_right(self.starts, index) - 1
        return self.origins[word] + index - self.starts[word]


_WORD = re.compile(r"\S+")


def _fold_word(word: str) -> str:
    low = word.lower()
    return low if len(low) == len(word) else word  # keep positions: no length-changing case


def _fold(text: str) -> str:
    return " ".join(_fold_word(w) for w in text.split())


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
    return folded.original(at), folded.original(at + len(needle) - 1) + 1


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
