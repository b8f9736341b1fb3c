"""FeedbackEngine: the public API the practice service and the web app call.

    engine = FeedbackEngine(get_catalog(), load_encoder())
    fb = engine.score(answer=text, question_id="...")      # or question_text="..."
    fbs = engine.score_many([(answer, question_id, question_text), ...])

The encoder is injected (tests pass a fake); exemplar, question and talking-point embeddings
are computed once per engine and reused. One encoder call embeds all answer sentences (and
any free-text questions) of a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from healthpm.domain.feedback.bank import ExemplarBank
from healthpm.domain.feedback.explain import build_feedback
from healthpm.domain.feedback.features import Analysis, analyse
from healthpm.domain.feedback.rules import Rules, default_rules
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.feedback.text import Parsed, parse
from healthpm.errors import InvalidInputError, NotFoundError

MAX_WORDS = 5000
#: Cosine between a free-text question and the nearest bank prompt needed to use that
#: question's talking points; below it the answer is scored on generic dimensions only.
MATCH_THRESHOLD = 0.62
#: Cosine between an answer sentence and a talking point for the point to count as covered.
TALKING_POINT_THRESHOLD = 0.5

Item = tuple[str, str | None, str | None]


class Encoder(Protocol):
    """Anything that embeds sentences as L2-normalised rows of an (n, dim) array."""

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]: ...


def _advice(catalog: Any, rules: Rules) -> dict[str, tuple[str, str]]:
    """flag id -> (advice, mistake id): from content/flags.yaml, else the exemplar fallback."""
    flags: dict[str, Any] = dict(getattr(catalog, "flags", {}) or {})
    out: dict[str, tuple[str, str]] = {}
    for flag_id, fallback in rules.spec.fallback_advice.items():
        entry = flags.get(flag_id)
        if entry is not None:
            out[flag_id] = (entry.advice, entry.mistake)
        else:
            out[flag_id] = (fallback, flag_id)
    return out


@dataclass(frozen=True)
class Match:
    question_id: str
    similarity: float
    exact: bool


class FeedbackEngine:
    """Scores written answers against the bank; deterministic for a given rules_version."""

    def __init__(self, catalog: Any, encoder: Encoder, rules: Rules | None = None) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.rules = rules or default_rules()
        texts, slices = self.rules.spec.sentences()
        self.bank = ExemplarBank(self.rules.spec, self._encode_static(texts), slices)
        self._advice = _advice(catalog, self.rules)
        questions: dict[str, Any] = dict(getattr(catalog, "questions", {}) or {})
        self._question_ids = list(questions)
        self._prompts = self._encode_static([q.prompt for q in questions.values()])
        self._points: dict[str, tuple[list[str], npt.NDArray[np.float32]]] = {}
        flat = [(qid, tp) for qid, q in questions.items() for tp in q.talking_points]
        vectors = self._encode_static([tp for _, tp in flat])
        for qid in questions:
            rows = [i for i, (owner, _) in enumerate(flat) if owner == qid]
            self._points[qid] = ([flat[i][1] for i in rows], vectors[rows])

    def _encode_static(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        """Shipped texts (exemplars, prompts, talking points): the encoder may cache them."""
        cached = getattr(self.encoder, "encode_static", None)
        if cached is None or not sentences:
            return self._encode(sentences)
        return np.asarray(cached(sentences), dtype=np.float32)

    def _encode(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        return np.asarray(self.encoder.encode(sentences), dtype=np.float32)

    # -- public API -------------------------------------------------------------------------

    def score(
        self, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        """Feedback for one answer; raises InvalidInputError or NotFoundError on bad input."""
        return self.score_many([(answer, question_id, question_text)])[0]

    def score_many(self, items: Sequence[Item]) -> list[Feedback]:
        """Feedback for many answers with one batched encoder call."""
        analyses, matches = self.analyse_many(items)
        return [
            build_feedback(a, self.rules, self._advice, self._coverage(a, m) if m else None, m)
            for a, m in zip(analyses, matches, strict=True)
        ]

    def analyse_many(self, items: Sequence[Item]) -> tuple[list[Analysis], list[Match | None]]:
        """Validate, parse and embed a batch; the uncalibrated half of scoring (used by eval)."""
        parsed = [self._validate(answer, qid) for answer, qid, _ in items]
        free = [(i, text) for i, (_, qid, text) in enumerate(items) if not qid and text]
        sentences = [s.text for p in parsed for s in p.content]
        vectors = self._encode(sentences + [text for _, text in free])
        analyses: list[Analysis] = []
        start = 0
        for p in parsed:
            n = len(p.content)
            analyses.append(analyse(self.bank, p, vectors[start : start + n]))
            start += n
        matches: list[Match | None] = [
            Match(qid, 1.0, True) if qid else None for _, qid, _ in items
        ]
        for offset, (i, _) in enumerate(free):
            matches[i] = self._match(vectors[len(sentences) + offset])
        return analyses, matches

    # -- internals --------------------------------------------------------------------------

    def _validate(self, answer: str, question_id: str | None) -> Parsed:
        if not isinstance(answer, str) or not answer.strip():
            raise InvalidInputError("answer is empty")
        parsed = parse(answer)
        if parsed.words > MAX_WORDS:
            raise InvalidInputError(
                f"answer has {parsed.words} words; the limit is {MAX_WORDS}, shorten it"
            )
        if question_id is not None and question_id not in self._points:
            raise NotFoundError(
                f"unknown question id {question_id!r}; list them with `healthpm practice next`"
            )
        return parsed

    def _match(self, vector: npt.NDArray[np.float32]) -> Match | None:
        if not self._question_ids or self._prompts.shape[1] != vector.shape[0]:
            return None
        sims = self._prompts @ vector
        best = int(np.argmax(sims))
        similarity = round(float(sims[best]), 3)
        if similarity < MATCH_THRESHOLD:
            return None
        return Match(self._question_ids[best], similarity, False)

    def _coverage(self, analysis: Analysis, match: Match) -> tuple[list[str], list[str]]:
        points, vectors = self._points.get(match.question_id, ([], np.zeros((0, 1))))
        if not points:
            return [], []
        if analysis.embeddings.shape[0] == 0:
            return [], list(points)
        best = (analysis.embeddings @ vectors.T).max(axis=0)
        covered = [p for p, s in zip(points, best, strict=True) if s >= TALKING_POINT_THRESHOLD]
        missing = [p for p, s in zip(points, best, strict=True) if s < TALKING_POINT_THRESHOLD]
        return covered, missing
