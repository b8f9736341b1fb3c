"""Text search shared by the CLI and the web, so both find the same things."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Term(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def term(self) -> str: ...
    @property
    def definition(self) -> str: ...


def squash(text: str) -> str:
    """Lowercase letters and digits only: '510(k)', '510 k' and '510k' all become '510k'."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


T = TypeVar("T", bound=Term)


def search_terms(terms: Iterable[T], query: str) -> list[T]:
    """Terms whose name, id or definition contains the query, name matches first."""
    needle, squashed = query.strip().lower(), squash(query)
    if not needle:
        return sorted(terms, key=lambda t: t.term.lower())
    by_name, by_text = [], []
    for t in terms:
        if needle in t.term.lower() or (squashed and squashed in squash(t.term + " " + t.id)):
            by_name.append(t)
        elif needle in t.definition.lower() or (squashed and squashed in squash(t.definition)):
            by_text.append(t)
    key = lambda t: t.term.lower()  # noqa: E731
    return sorted(by_name, key=key) + sorted(by_text, key=key)
