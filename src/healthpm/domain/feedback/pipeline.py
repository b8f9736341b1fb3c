"""The feedback pipeline, stage by stage, with the typed hand-off between stages.

    parse        answer text            -> Parsed     (text.py: sentences, term lists removed)
    embed        Parsed + question      -> Embedded   (sentence, clause and answer vectors)
    relevance    Embedded + bank        -> Relevance  (relevance.py: on topic? reads as?)
    flags        Parsed + Embedded      -> Analysis   (features.py: flag scores and features)
    talking      Embedded + question    -> Coverage   (coverage.py: covered/partly/missing)
    score        all of the above       -> Scored     (scoring.py: contributions, overall)
    explain      Scored + the rest      -> Feedback   (explain.py: the contract object)

`prepare` runs the first five (everything that does not depend on fitted weights; evaluation
fits on its output), `finish` the last two. Each answer is encoded in its own encoder call,
so its vectors, and therefore its feedback, never depend on what else is in a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from healthpm.domain.feedback import coverage, relevance
from healthpm.domain.feedback.bank import ExemplarBank, Matrix
from healthpm.domain.feedback.coverage import Coverage
from healthpm.domain.feedback.features import Analysis, analyse
from healthpm.domain.feedback.relevance import Relevance
from healthpm.domain.feedback.text import Parsed, parse


class Encoder(Protocol):
    """Anything that embeds sentences as L2-normalised rows of an (n, dim) array."""

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True)
class Question:
    """What the engine knows about the question an answer was given to."""

    text: str
    vector: Matrix
    bank_id: str | None = None  # the bank question used for talking points, if any
    exact: bool = False  # True when the user picked the bank question by id
    similarity: float = 1.0
    points: tuple[str, ...] = ()
    point_vectors: Matrix | None = None
    model_answer: Matrix | None = None
    #: free text only: the question with its acronyms spelled out (relevance.spell_out), when
    #: that differs; encoded only if the question as typed calls the answer off topic, and it
    #: can only keep an answer from being called off topic
    spelled_out: str | None = None

    @property
    def basis(self) -> str:
        return "bank" if self.bank_id is not None else "general"


@dataclass(frozen=True)
class BankIndex:
    """The bank's prompts and model answers as matrices (rows in `ids` order)."""

    ids: list[str]
    prompts: Matrix
    model_answers: Matrix


@dataclass(frozen=True)
class Embedded:
    """Vectors of one answer: per content sentence, per clause, and the answer as a whole."""

    sentences: Matrix
    clauses: list[str]
    clause_vectors: Matrix
    answer: Matrix  # L2-normalised mean of the sentence vectors (zeros when empty)


@dataclass(frozen=True)
class Prepared:
    """Everything before the fitted score: the input of `finish` and of evaluation."""

    parsed: Parsed
    question: Question
    embedded: Embedded
    relevance: Relevance
    analysis: Analysis
    coverage: Coverage | None

    @property
    def content_vector(self) -> Matrix:
        """The answer vector with the question's own direction removed, re-normalised: what
        the answer says beyond restating its subject. The content ridge reads this, because
        topic words shared with the question rank nothing across questions; removing them
        raised the ridge's Spearman on the other writers' set (train dev -> test dev2) from
        0.63 to 0.67 and dev2 -> dev from 0.82 to 0.85 (docs/feedback.md)."""
        answer, question = self.embedded.answer, self.question.vector
        if answer.shape != question.shape or not np.any(answer):
            return answer
        rest = answer - float(answer @ question) * question
        norm = float(np.linalg.norm(rest))
        return (rest / norm if norm else rest).astype(np.float32)

    def relations(self) -> dict[str, float]:
        """Question-answer parts of the overall (bank parts only on the bank basis)."""
        out = {"question_fit": min(1.5, max(-0.5, self.relevance.fit / 4))}
        if self.coverage is not None and self.coverage.share is not None:
            out["talking_points"] = self.coverage.share
        if self.question.model_answer is not None and np.any(self.embedded.answer):
            out["model_answer"] = float(self.embedded.answer @ self.question.model_answer)
        return out


def embed(parsed: Parsed, encoder: Encoder, with_clauses: bool) -> Embedded:
    """One encoder call for this answer's sentences (and clauses, for bank questions)."""
    texts = [s.text for s in parsed.content]
    extra = [c for t in texts for c in coverage.clauses(t)] if with_clauses else []
    if not texts:
        empty = np.zeros((0, 1), dtype=np.float32)
        return Embedded(empty, [], empty, np.zeros(1, dtype=np.float32))
    vectors = np.asarray(encoder.encode(texts + extra), dtype=np.float32)
    sentences, clause_vectors = vectors[: len(texts)], vectors[len(texts) :]
    mean = sentences.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    answer = (mean / norm if norm else mean).astype(np.float32)
    return Embedded(sentences, extra, clause_vectors, answer)


def same_question(question: Question) -> bool:
    """The bank question is the one asked: chosen by id, or typed almost word for word."""
    return question.exact or (question.similarity or 0.0) >= relevance.SAME_QUESTION


def _encoder_of(encoder: Encoder, text: str | None) -> Callable[[], Matrix] | None:
    """Encoding of `text` on demand (None without a text)."""
    if text is None:
        return None
    spelled = text

    def encode() -> Matrix:
        return np.asarray(encoder.encode([spelled])[0], dtype=np.float32)

    return encode


def prepare(
    answer: str,
    question: Question,
    encoder: Encoder,
    bank: ExemplarBank,
    index: BankIndex,
) -> Prepared:
    """The unfitted stages for one answer: parse, embed, relevance, flags, talking points."""
    parsed = parse(answer)
    embedded = embed(parsed, encoder, with_clauses=bool(question.points))
    asked = same_question(question)
    if embedded.sentences.shape[0] == 0:
        verdict = Relevance(True, 0.0)
    else:
        verdict = relevance.judge(
            embedded.answer,
            question.vector,
            question.text,
            index.prompts,
            index.ids,
            # A bank question's model answer judges relevance only when it is the question
            # asked; a merely similar bank question (matched free text) is not, so the typed
            # question's own vector decides.
            own_id=question.bank_id if asked else None,
            model_answers=index.model_answers,
            spelled_out=_encoder_of(encoder, question.spelled_out),
            related_id=None if asked else question.bank_id,
        )
    analysis = analyse(bank, parsed, embedded.sentences)
    points: Coverage | None = None
    if question.points and question.point_vectors is not None:
        units = [s.text for s in parsed.content] + embedded.clauses
        unit_vectors = (
            np.vstack([embedded.sentences, embedded.clause_vectors])
            if embedded.clauses
            else embedded.sentences
        )
        points = coverage.judge(question.points, question.point_vectors, units, unit_vectors)
    return Prepared(parsed, question, embedded, verdict, analysis, points)
