"""FeedbackEngine: the public API the practice service and the web app call.

    engine = FeedbackEngine(get_catalog(), load_encoder())
    fb = engine.score(answer=text, question_id="...")      # or question_text="..."
    fbs = engine.score_many([(answer, question_id, question_text), ...])

The encoder is injected (tests pass a fake). The vectors of fixed texts (exemplars, bank
prompts, talking points, model answers) go through the encoder's `encode_static`, which
caches them on disk keyed by the texts and the model; answers are encoded one at a time
(pipeline.py), so an answer's feedback is the same alone or in any batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from healthpm.domain.feedback import relevance
from healthpm.domain.feedback.bank import ExemplarBank
from healthpm.domain.feedback.explain import build_feedback
from healthpm.domain.feedback.pipeline import BankIndex, Encoder, Prepared, Question, prepare
from healthpm.domain.feedback.rules import Rules, default_rules
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.feedback.text import words
from healthpm.errors import InvalidInputError, NotFoundError

__all__ = ["Encoder", "FeedbackEngine"]

MAX_WORDS = 5000
#: Cosine between a free-text question and the nearest bank prompt needed to use that
#: question's talking points; below it the answer is scored on the general basis.
MATCH_THRESHOLD = 0.62

Item = tuple[str, str | None, str | None]


def _advice(catalog: Any, rules: Rules) -> dict[str, tuple[str, str]]:
    """flag id -> (advice, mistake id): from content/flags.yaml, else the exemplar fallback."""
    flags: dict[str, Any] = dict(getattr(catalog, "flags", {}) or {})
    out: dict[str, tuple[str, str]] = {}
    for flag_id, fallback in rules.spec.fallback_advice.items():
        entry = flags.get(flag_id)
        out[flag_id] = (entry.advice, entry.mistake) if entry is not None else (fallback, flag_id)
    return out


class FeedbackEngine:
    """Scores written answers against the bank; deterministic for a given rules_version."""

    def __init__(self, catalog: Any, encoder: Encoder, rules: Rules | None = None) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.rules = rules or default_rules()
        texts, slices = self.rules.spec.sentences()
        self.bank = ExemplarBank(
            self.rules.spec, self._encode_static(texts), slices, self.rules.detector
        )
        self._advice = _advice(catalog, self.rules)
        self._questions: dict[str, Any] = dict(getattr(catalog, "questions", {}) or {})
        ids = list(self._questions)
        qs = list(self._questions.values())
        prompts = self._encode_static([q.prompt for q in qs])
        models = self._encode_static([str(getattr(q, "model_answer", "") or q.prompt) for q in qs])
        self.index = BankIndex(ids, prompts, models)
        flat = [(qid, tp) for qid, q in self._questions.items() for tp in q.talking_points]
        vectors = self._encode_static([tp for _, tp in flat])
        rows: dict[str, list[int]] = {qid: [] for qid in ids}
        for i, (owner, _) in enumerate(flat):
            rows[owner].append(i)
        self._points: dict[str, tuple[tuple[str, ...], npt.NDArray[np.float32]]] = {
            qid: (tuple(flat[i][1] for i in mine), vectors[mine]) for qid, mine in rows.items()
        }
        self._free: dict[str, npt.NDArray[np.float32]] = {}
        glossary = (getattr(catalog, "glossary", None) or {}).values()
        self._acronyms = relevance.acronyms([str(getattr(g, "term", "")) for g in glossary])

    def _encode_static(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        """Shipped texts: through the encoder's on-disk cache when it has one."""
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        cached = getattr(self.encoder, "encode_static", None)
        encode = cached if cached is not None else self.encoder.encode
        return np.asarray(encode(sentences), dtype=np.float32)

    # -- public API -------------------------------------------------------------------------

    def score(
        self, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        """Feedback for one answer; raises InvalidInputError or NotFoundError on bad input."""
        return self.score_many([(answer, question_id, question_text)])[0]

    def score_many(self, items: Sequence[Item]) -> list[Feedback]:
        """Feedback for many answers; each is scored exactly as it would be alone."""
        return [self.finish(p) for p in self.prepare_many(items)]

    def prepare_many(self, items: Sequence[Item]) -> list[Prepared]:
        """Validate, then run the unfitted stages of every answer (used by evaluation)."""
        for answer, qid, _ in items:
            self._validate(answer, qid)

        def one(item: Item) -> Prepared:
            answer, qid, text = item
            return prepare(answer, self.question(qid, text), self.encoder, self.bank, self.index)

        # Several answers at once, as many as the encoder runs batches at once: one answer's
        # Python stages (parsing, flags, talking points) overlap another's encoding. Each
        # answer is still prepared exactly as alone (its own encoder call, same batches).
        workers = int(getattr(self.encoder, "workers", 1))
        if workers < 2 or len(items) < 2:
            return [one(item) for item in items]
        with ThreadPoolExecutor(workers, "healthpm-prepare") as pool:
            return list(pool.map(one, items))

    def finish(self, prepared: Prepared) -> Feedback:
        """The fitted stages: score and explain."""
        return build_feedback(prepared, self.rules, self._advice, self._questions)

    def question(self, question_id: str | None, question_text: str | None) -> Question:
        """The question context: a bank question by id, else free text matched to the bank."""
        if question_id is not None:
            row = self.index.ids.index(question_id)
            return self._bank_question(question_id, row, exact=True, similarity=1.0)
        text = (question_text or "").strip()
        vector = self._free_vector(text)
        wide = relevance.spell_out(text, self._acronyms)
        spelled = wide if wide != text else None
        if text and self.index.ids and self.index.prompts.shape[1] == vector.shape[0]:
            sims = self.index.prompts @ vector
            best = int(np.argmax(sims))
            if float(sims[best]) >= MATCH_THRESHOLD:
                q = self._bank_question(self.index.ids[best], best, False, float(sims[best]))
                return Question(text, vector, q.bank_id, False, q.similarity, q.points,
                                q.point_vectors, q.model_answer, spelled)  # fmt: skip
        return Question(text, vector, spelled_out=spelled)

    # -- internals --------------------------------------------------------------------------

    def _bank_question(self, qid: str, row: int, exact: bool, similarity: float) -> Question:
        points, vectors = self._points[qid]
        return Question(
            text=str(self._questions[qid].prompt),
            vector=self.index.prompts[row],
            bank_id=qid,
            exact=exact,
            similarity=round(similarity, 3),
            points=points,
            point_vectors=vectors,
            model_answer=self.index.model_answers[row],
        )

    def _free_vector(self, text: str) -> npt.NDArray[np.float32]:
        """A free-text question's vector, encoded alone (so independent of any batch)."""
        if not text:
            return np.zeros(self.bank.matrix.shape[1], dtype=np.float32)
        vector = self._free.get(text)
        if vector is None:
            if len(self._free) > 256:
                self._free.clear()
            vector = np.asarray(self.encoder.encode([text]), dtype=np.float32)[0]
            self._free[text] = vector  # answers prepared side by side may both encode it
        return vector

    def _validate(self, answer: str, question_id: str | None) -> None:
        if not isinstance(answer, str) or not answer.strip():
            raise InvalidInputError("answer is empty")
        count = len(words(answer))
        if count > MAX_WORDS:
            raise InvalidInputError(
                f"answer has {count} words; the limit is {MAX_WORDS}, shorten it"
            )
        if question_id is not None and question_id not in self._points:
            raise NotFoundError(
                f"unknown question id {question_id!r}; list them with `healthpm practice next`"
            )
