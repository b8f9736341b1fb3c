"""Exemplar bank: every exemplar sentence embedded once, stacked into one matrix with slices.

One matrix product (answer sentences x all exemplars) gives every similarity the engine needs;
the slices say which columns are the bad or good exemplars of a flag, the substance set or the
generic set. Built once per engine (per process) and reused for every answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from healthpm.errors import ContentError

if TYPE_CHECKING:
    from healthpm.domain.feedback.detector import SentenceDetector

Matrix = npt.NDArray[np.float32]


#: Reported or rejected wording ("I'd push back on anyone who says we can skip FDA", "the
#: trap is ..."): a sentence that names a mistake this way is not committing it. Part of every
#: definition's `none` (added by `_definitions`), so exemplars.yaml does not repeat it.
REJECTED = re.compile(
    r"\bpush(?:ed|ing)? back\b|\bdraw(?:s|ing)? (?:a|the) (?:hard |bright |firm |clear )?line"
    r"|\b(?:anyone|people|those|someone|whoever) who (?:says?|said|thinks?|claims?|argues?)"
    r"|\bthe (?:mistake|trap|temptation)\b|\btempting\b|\b(?:some|many) teams\b|\bsidestep"
    r"|\bisn't an answer\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Definition:
    """A flag's anti-pattern stated in one sentence: every `all_of` pattern matches it and no
    `none_of` pattern does (the `none_of` patterns catch negation, "rather than ...", and the
    safeguards that make the same words harmless)."""

    all_of: tuple[re.Pattern[str], ...]
    none_of: tuple[re.Pattern[str], ...] = ()
    #: patterns that, found anywhere in the answer, answer the sentence's omission (equity-blind:
    #: "activation hit 70%, a win" is harmless when the answer breaks results out by language)
    unless: tuple[re.Pattern[str], ...] = ()

    def matches(self, text: str, whole: str = "", said: str | None = None) -> bool:
        """Whether the sentence `text` (in the answer `whole`) meets the definition. `said`:
        what the sentence affirms (affirmed(text)), when the caller has it already (one per
        sentence, not one per definition); the caller then passes `said` and `whole` lower-cased
        (features.flag_scores does). The patterns are matched on lower-cased text (see
        `_patterns`); without `said`, `text` and `whole` are lower-cased here."""
        if said is None:
            said, whole = affirmed(text.lower()), whole.lower()
        return (
            all(p.search(said) for p in self.all_of)
            and not any(p.search(said) for p in self.none_of)
            and not any(p.search(whole) for p in self.unless)
        )


#: The rejected side of a contrast: "Rather than a long silent period, I'd switch it on" opens
#: with it (up to the first comma); "we'd run it silently rather than A/B test it live" ends
#: with it (up to the next comma, semicolon, dash or the end).
_REJECTED_OPENING = re.compile(r"^\s*(?:rather than|instead of)\b[^,]*,\s*", re.IGNORECASE)
_REJECTED_CLAUSE = re.compile(r"\b(?:rather than|instead of)\b[^,;—–]*", re.IGNORECASE)


def affirmed(text: str) -> str:
    """What a sentence asserts: the text without the side a "rather than" / "instead of"
    rejects. A definition is matched on this, so "rather than X, we'd do Y" is read as saying
    Y (the rejected X cannot trigger a flag, and the contrast word alone does not clear Y)."""
    return _REJECTED_CLAUSE.sub("", _REJECTED_OPENING.sub("", text))


@dataclass(frozen=True)
class ExemplarSpec:
    """The exemplar sentences as written in content/feedback/exemplars.yaml."""

    bad: dict[str, list[str]]
    good: dict[str, list[str]]
    fallback_advice: dict[str, str]
    substance: list[str]
    generic: list[str]
    cues: dict[str, list[re.Pattern[str]]]
    counter_cues: dict[str, list[re.Pattern[str]]]
    #: flag -> pattern a sentence must match (or follow a matching sentence) to be evidence
    subject: dict[str, re.Pattern[str] | None] = field(default_factory=dict)
    #: flag -> pattern the whole answer must match for the flag to apply at all
    requires: dict[str, re.Pattern[str] | None] = field(default_factory=dict)
    #: flag -> sentence definitions: a content sentence matching one fires the flag outright
    definitions: dict[str, list[Definition]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExemplarSpec:
        """Validate the parsed YAML; errors name the key."""
        flags = data.get("flags")
        if not isinstance(flags, dict) or not flags:
            raise ContentError("content/feedback/exemplars.yaml: key 'flags' must be a mapping")
        bad: dict[str, list[str]] = {}
        good: dict[str, list[str]] = {}
        advice: dict[str, str] = {}
        cues: dict[str, list[re.Pattern[str]]] = {}
        counter: dict[str, list[re.Pattern[str]]] = {}
        subject: dict[str, re.Pattern[str] | None] = {}
        requires: dict[str, re.Pattern[str] | None] = {}
        definitions: dict[str, list[Definition]] = {}
        for flag_id, entry in flags.items():
            if not isinstance(entry, dict) or not entry.get("bad"):
                raise ContentError(
                    f"content/feedback/exemplars.yaml: flags.{flag_id}.bad must list sentences"
                )
            bad[flag_id] = [str(x) for x in entry["bad"]]
            good[flag_id] = [str(x) for x in entry.get("good") or []]
            advice[flag_id] = str(entry.get("fallback_advice", "")).strip()
            cues[flag_id] = _patterns(flag_id, entry.get("cues"), cue=True)
            counter[flag_id] = _patterns(flag_id, entry.get("counter_cues"), cue=True)
            subject[flag_id] = _one_pattern(flag_id, entry.get("subject"))
            requires[flag_id] = _one_pattern(flag_id, entry.get("requires"))
            definitions[flag_id] = _definitions(flag_id, entry.get("definitions"))
        substance = [str(x) for x in data.get("substance") or []]
        generic = [str(x) for x in data.get("generic") or []]
        if not substance or not generic:
            raise ContentError(
                "content/feedback/exemplars.yaml: 'substance' and 'generic' must list sentences"
            )
        return cls(
            bad, good, advice, substance, generic, cues, counter, subject, requires, definitions
        )

    def sentences(self) -> tuple[list[str], dict[str, slice]]:
        """All exemplar sentences in one list, and the slice each group occupies."""
        groups: list[tuple[str, list[str]]] = []
        for flag_id in self.bad:
            groups.append((f"bad:{flag_id}", self.bad[flag_id]))
            groups.append((f"good:{flag_id}", self.good[flag_id]))
        groups += [("substance", self.substance), ("generic", self.generic)]
        texts: list[str] = []
        slices: dict[str, slice] = {}
        for name, items in groups:
            slices[name] = slice(len(texts), len(texts) + len(items))
            texts.extend(items)
        return texts, slices


#: What a cue pattern may not use: features._share searches an answer's sentences as one text,
#: one per line, which is the same as searching each sentence only while no cue can match or
#: look across a line break (whitespace and negated classes, anchors, lookarounds, DOTALL).
_CROSSES_LINES = re.compile(r"\\[sSWDAZ]|\[\^|[$^]|\(\?[=!<]|\(\?[a-z]*s")
#: A literal upper-case letter in a pattern (escapes such as \S and \W set aside): patterns are
#: searched on lower-cased text, where it could never match.
_UPPER_CASE = re.compile(r"[A-Z]")
_ESCAPE = re.compile(r"\\.")


def _patterns(flag_id: str, raw: Any, cue: bool = False) -> list[re.Pattern[str]]:
    """Compiled patterns; a cue (searched over all sentences at once) may not cross a line."""
    texts = [str(x) for x in raw or []]
    for text in texts:
        if cue and _CROSSES_LINES.search(text):
            raise ContentError(
                f"content/feedback/exemplars.yaml: flags.{flag_id}: cue pattern {text!r} could "
                "match across sentences (cues may not use \\s, \\S, \\W, \\D, [^...], "
                "anchors or lookarounds)"
            )
        if _UPPER_CASE.search(_ESCAPE.sub("", text)):
            raise ContentError(
                f"content/feedback/exemplars.yaml: flags.{flag_id}: pattern {text!r} has an "
                "upper-case letter; patterns are matched on lower-cased text, write them in "
                "lower case"
            )
    # Compiled case-sensitive and searched on lower-cased text: the same matches as
    # re.IGNORECASE on the text as written, in about half the time (8.6 against 16.7 ms an
    # answer for every definition pattern on every sentence, 2026-12-04).
    try:
        return [re.compile(text) for text in texts]
    except re.error as exc:
        raise ContentError(
            f"content/feedback/exemplars.yaml: flags.{flag_id}: bad cue pattern: {exc}"
        ) from None


def _definitions(flag_id: str, raw: Any) -> list[Definition]:
    out: list[Definition] = []
    for k, item in enumerate(raw or []):
        if not isinstance(item, dict) or not item.get("all"):
            raise ContentError(
                f"content/feedback/exemplars.yaml: flags.{flag_id}.definitions[{k}]"
                " needs an 'all' list of patterns"
            )
        out.append(
            Definition(
                tuple(_patterns(flag_id, item["all"])),
                (*_patterns(flag_id, item.get("none")), REJECTED),
                tuple(_patterns(flag_id, item.get("unless"))),
            )
        )
    return out


def _one_pattern(flag_id: str, raw: Any) -> re.Pattern[str] | None:
    if not raw:
        return None
    return _patterns(flag_id, [raw])[0]


@dataclass(frozen=True)
class ExemplarBank:
    """Embedded exemplars: `matrix` (n_exemplars, dim) and named column slices."""

    spec: ExemplarSpec
    matrix: Matrix
    slices: dict[str, slice]
    #: the learned sentence detector (detector.py), if shipped
    detector: SentenceDetector | None = None

    @property
    def flag_ids(self) -> list[str]:
        return list(self.spec.bad)

    def top_mean(self, sims: Matrix, group: str, k: int = 2) -> Matrix:
        """Per sentence, the mean of the k highest similarities within a group (0 if empty)."""
        block = sims[:, self.slices[group]]
        if block.shape[1] == 0 or block.shape[0] == 0:
            return np.zeros(sims.shape[0], dtype=np.float32)
        k = min(k, block.shape[1])
        top = np.partition(block, block.shape[1] - k, axis=1)[:, -k:]
        return np.asarray(top.mean(axis=1), dtype=np.float32)
