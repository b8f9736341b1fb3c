"""Pure text handling for answers: sentences, term lists, and the lexical cues the model reads.

Nothing here judges quality on its own; it turns an answer into sentences and small counts
(numbers with units, signposts, stakeholder groups, explanatory links) that the feature
layer combines with sentence embeddings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ABBREV = re.compile(r"\b(e\.g|i\.e|vs|etc|Dr|Mr|Ms|Mrs|St|No|approx|a\.m|p\.m)\.$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\(?\d{1,2}[.)]|[a-z][.)])\s+")
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9#])")
_NAMED = re.compile(r"[A-Z0-9]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'/().%+-]*")
_CLAUSE_KEEP = re.compile(r"(\s*(?:[,;:]|\band\b|\bor\b|\bplus\b|\+)\s*)")

#: Words that make a fragment a statement rather than a bare term (verbs, auxiliaries, subjects).
_STATEMENT_WORDS = frozenset(
    """
    is are was were be been being am do does did done have has had will would can could
    should must may might shall i we you they he she it i'd we'd i'll we'll i'm we're it's
    that's there's let's make makes made get gets got go goes went need needs needed use
    uses used want wants wanted ask asks asked run runs ran build builds built ship ships
    shipped start starts started keep keeps kept take takes took give gives gave show shows
    showed means mean meant pay pays paid bill bills billed check checks checked set sets
    track tracks tracked measure measures measured sign signs signed send sends sent call
    calls called tell tells told find finds found see sees saw work works worked
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer; `text` is what gets embedded (term-list runs removed)."""

    raw: str
    text: str
    bullet: bool = False
    list_terms: int = 0
    paragraph: int = 0

    @property
    def is_content(self) -> bool:
        """A real statement (not a bare fragment or a list of terms)."""
        return bool(self.text)


@dataclass(frozen=True)
class Parsed:
    """An answer split into sentences, with the term lists it strings together."""

    sentences: list[Sentence]
    words: int
    list_terms: int = 0
    paragraphs: int = 1
    content_words: int = field(default=0)

    @property
    def content(self) -> list[Sentence]:
        return [s for s in self.sentences if s.is_content]


def words(text: str) -> list[str]:
    """Word tokens (keeps codes like 510(k), 99457, 70% and FHIR R4 parts)."""
    return _WORD.findall(text)


#: Separators of pasted term lists other than commas and semicolons: pipes, middle dots,
#: inline bullets, chains of three or more slashes, and hashtags.
_PIPES = re.compile(r"\s*[|\u2022\u00b7]\s*")
_SLASH_CHAIN = re.compile(r"[^\s/]+(?:\s*/\s*[^\s/]+){2,}")
_HASHTAG = re.compile(r"(?:^|\s)#(?=[\w(])")


def normalise_separators(text: str) -> str:
    """Rewrite pipe, bullet, slash-chain and hashtag lists as comma lists (same terms)."""
    out = _PIPES.sub(", ", text)
    out = _SLASH_CHAIN.sub(lambda m: re.sub(r"\s*/\s*", ", ", m.group(0)), out)
    if len(_HASHTAG.findall(out)) >= 2:
        out = _HASHTAG.sub(", ", out)
    return out.strip(" ,")


def _is_term_item(clause: str) -> bool:
    tokens = words(clause)
    if not tokens or len(tokens) > 4:
        return False
    return not any(t.lower().strip("'") in _STATEMENT_WORDS for t in tokens)


def _strip_term_runs(sentence: str, min_run: int = 4) -> tuple[str, int]:
    """Remove runs of >= min_run consecutive bare terms ('HIPAA, BAA, FHIR, HL7').

    The kept text is cut from the original string, so a sentence with a list pasted onto
    its end reads exactly as it did before.
    """
    original = sentence.strip()
    body = normalise_separators(original)
    end = body[-1] if body and body[-1] in ".!?" else ""
    pieces = _CLAUSE_KEEP.split(body.rstrip(" .!?"))
    parts, seps = pieces[0::2], pieces[1::2] + [""]
    flags = [_is_term_item(p) for p in parts]
    keep: list[str] = []
    removed = 0
    i = 0
    while i < len(parts):
        j = i
        while j < len(parts) and flags[j]:
            j += 1
        # A run starts at its first named term: plain lowercase words before it stay prose.
        while i < j and not _NAMED.search(parts[i]):
            keep.append(parts[i] + seps[i])
            i += 1
        if j - i >= min_run:
            removed += j - i
            i = j
            continue
        if i >= len(parts):
            break
        keep.append(parts[i] + seps[i])
        i += 1
    if not removed:
        return original, 0
    text = "".join(keep).rstrip(" ,;:+") + end
    text = re.sub(r"\s+(?:and|or|plus)$", "", text.rstrip(".!?")) + (
        end if text.endswith(end) else ""
    )
    return (text if len(words(text)) >= 4 else ""), removed


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    for chunk in _SPLIT.split(line):
        if pieces and _ABBREV.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {chunk}"
        else:
            pieces.append(chunk)
    return [p.strip() for p in pieces if p.strip()]


def _raw_sentences(answer: str) -> list[tuple[str, bool, int]]:
    out: list[tuple[str, bool, int]] = []
    paragraph = 0
    for block in re.split(r"\n\s*\n", answer.strip()):
        for line in block.splitlines():
            if not line.strip():
                continue
            bullet = bool(_BULLET.match(line))
            body = _BULLET.sub("", line, count=1) if bullet else line
            out.extend((piece, bullet, paragraph) for piece in _split_line(body))
        paragraph += 1
    return out


def _fragment_runs(items: list[tuple[str, bool, int]]) -> set[int]:
    """Indexes of bare fragments that sit in a run of >= 3 (a list written one per line)."""
    bare = [_is_term_item(normalise_separators(text)) for text, _, _ in items]
    hits: set[int] = set()
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and bare[j]:
            j += 1
        if j - i >= 3:
            hits.update(range(i, j))
        i = max(j, i + 1)
    return hits


def parse(answer: str) -> Parsed:
    """Split an answer into sentences; bare fragments and term runs carry no content."""
    items = _raw_sentences(answer)
    runs = _fragment_runs(items)
    sentences: list[Sentence] = []
    for index, (raw, bullet, paragraph) in enumerate(items):
        if index in runs:
            sentences.append(Sentence(raw, "", bullet, len(words(raw)) and 1, paragraph))
            continue
        text, removed = _strip_term_runs(raw)
        if _is_term_item(normalise_separators(raw)):
            text = ""
        sentences.append(Sentence(raw, text, bullet, removed, paragraph))
    content_words = sum(len(words(s.text)) for s in sentences)
    return Parsed(
        sentences=sentences,
        words=len(words(answer)),
        list_terms=sum(s.list_terms for s in sentences),
        paragraphs=max(len({s.paragraph for s in sentences if s.is_content}), 1),
        content_words=content_words,
    )
