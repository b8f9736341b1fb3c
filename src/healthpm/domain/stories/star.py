"""Read a story into its four STAR parts: Markdown or YAML with the parts named, or free text.

Free text is split sentence by sentence: each sentence goes to the part its wording marks
(context, a goal, what "I" did, an outcome), in story order, and the parts nothing fills are
named as missing so the writer knows what to add.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import yaml

from healthpm.domain import yamlio
from healthpm.errors import InvalidInputError

PARTS = ("situation", "task", "action", "result")
MAX_CHARS = 20_000

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|\*\*)?(situation|task|action|actions|result|results|title)"
    r"\s*(?:\*\*)?\s*[:\-–]?\s*(?:\*\*)?\s*(.*)$",
    re.IGNORECASE,
)
_TITLE = re.compile(r"^\s*#\s+(.+)$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

_TASK = re.compile(
    r"\b(my (goal|job|task|role|remit|responsibility) was|i was (asked|responsible|tasked|"
    r"charged)|i needed to|i had to|we needed to|the goal was|i set out to|our aim was|"
    r"i wanted to|i owned)\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(as a result|resulted|result was|in the end|afterwards|since then|within \d+|"
    r"reduced|increased|cut|fell|dropped|rose|improved|saved|went from|down from|up from|"
    r"led to|outcome|adopted|now uses|is now|are now)\b|\d+\s?%",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\b(i|we) (led|built|created|designed|ran|organi[sz]ed|trained|wrote|mapped|proposed|"
    r"negotiated|convinced|set up|introduced|launched|analy[sz]ed|interviewed|piloted|"
    r"started|coordinated|met|presented|changed|redesigned|worked|brought|escalated|"
    r"drafted|tested|shadowed|reviewed|gathered|asked|decided|chose|prioriti[sz]ed|"
    r"rolled out|taught|coached|persuaded|facilitated|documented|measured|tracked)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StoryText:
    """A story's title and its four parts as the writer gave them (or as split)."""

    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    background: str | None = None
    split_from_free_text: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        title: str,
        parts: Mapping[str, str],
        *,
        background: str | None = None,
        split: bool = False,
        notes: list[str] | None = None,
    ) -> StoryText:
        """A story from a title and a mapping of (some of) the four parts."""
        return cls(
            title=title,
            situation=parts.get("situation", ""),
            task=parts.get("task", ""),
            action=parts.get("action", ""),
            result=parts.get("result", ""),
            background=background,
            split_from_free_text=split,
            notes=list(notes or []),
        )

    def part(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def missing(self) -> list[str]:
        """The STAR parts with nothing in them."""
        return [p for p in PARTS if not self.part(p).strip()]

    def full_text(self) -> str:
        """The parts joined as paragraphs, in STAR order (what is scored)."""
        return "\n\n".join(self.part(p).strip() for p in PARTS if self.part(p).strip())


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph (line breaks and end punctuation split them)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        if line:
            out += [s.strip() for s in _SENTENCE.split(line) if s.strip()]
    return out


def _kind(sentence: str) -> str | None:
    if _TASK.search(sentence):
        return "task"
    if _RESULT.search(sentence):
        return "result"
    if _ACTION.search(sentence):
        return "action"
    return None


def split_free_text(text: str) -> dict[str, str]:
    """Assign each sentence to a part; unmarked sentences join the part before them
    (situation at the start)."""
    parts: dict[str, list[str]] = {p: [] for p in PARTS}
    current = "situation"
    for sentence in sentences(text):
        kind = _kind(sentence)
        # A story moves forward: an action wording after the result began stays a result
        # only when it also states an outcome; otherwise it is a new action.
        current = kind or current
        parts[current].append(sentence)
    return {p: " ".join(v) for p, v in parts.items()}


def _from_mapping(data: dict[str, object], fallback_title: str) -> StoryText:
    unknown = set(data) - {*PARTS, "title", "background", "actions", "results"}
    if unknown:
        raise InvalidInputError(
            f"unknown story field(s) {', '.join(sorted(unknown))}; "
            "use title, situation, task, action, result, background"
        )
    values = {k.rstrip("s") if k in ("actions", "results") else k: v for k, v in data.items()}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(f"story field {key!r} must be text")
    title = str(values.get("title") or fallback_title).strip()
    background = values.get("background")
    return StoryText.of(
        title[:200],
        {p: str(values.get(p) or "").strip() for p in PARTS},
        background=str(background).strip() if background else None,
    )


def _from_markdown(text: str, fallback_title: str) -> StoryText | None:
    found: dict[str, list[str]] = {}
    title = fallback_title
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and (line.lstrip().startswith(("#", "**")) or ":" in line):
            name = heading.group(1).lower().rstrip("s")
            if name == "title":
                title = heading.group(2).strip() or title
                current = None
                continue
            current = name
            found.setdefault(current, [])
            if heading.group(2).strip():
                found[current].append(heading.group(2).strip())
            continue
        top = _TITLE.match(line)
        if top and not found:
            title = top.group(1).strip()
            continue
        if current is not None:
            found[current].append(line)
    if not found:
        return None
    return StoryText.of(title[:200], {p: "\n".join(found.get(p, [])).strip() for p in PARTS})


def _title_from(text: str) -> str:
    first = sentences(text)[0] if sentences(text) else "Untitled story"
    return (first[:80].rstrip(" ,.;:") + ("…" if len(first) > 80 else "")) or "Untitled story"


def parse_story(text: str, *, name: str = "story", title: str | None = None) -> StoryText:
    """A StoryText from YAML (a mapping of the parts), Markdown headings, or free text."""
    if not text.strip():
        raise InvalidInputError(f"{name}: the story is empty")
    if len(text) > MAX_CHARS:
        raise InvalidInputError(
            f"{name}: the story has {len(text):,} characters; the limit is {MAX_CHARS:,}"
        )
    fallback = title or _title_from(text)
    if name.endswith((".yaml", ".yml")) or re.match(r"^\s*(title|situation)\s*:", text, re.I):
        try:
            data = yamlio.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInputError(f"{name}: not valid YAML ({exc.__class__.__name__})") from None
        if isinstance(data, dict):
            story = _from_mapping({str(k).lower(): v for k, v in data.items()}, fallback)
            return _named(story, title)
        if name.endswith((".yaml", ".yml")):
            raise InvalidInputError(f"{name}: a YAML story must be a mapping of its parts")
    marked = _from_markdown(text, fallback)
    if marked is not None:
        return _named(marked, title)
    split = split_free_text(text)
    note = "split from free text: check each part"
    return StoryText.of(fallback[:200], split, split=True, notes=[note])


def _named(story: StoryText, title: str | None) -> StoryText:
    if title:
        return replace(story, title=title[:200])
    return story
