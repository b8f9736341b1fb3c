"""Which sentence of a story proves which competency, which bank questions it answers, and
the product words for clinical experience. Pure: the sentence encoder is injected.

Each competency is described by the knowledge base's own texts (its description, evidence
markers, what meeting the bar looks like at each level) and by the backgrounds' translations
of clinical and prior work into it. A story sentence proves a competency when its embedding
is close to one of those texts; the closest text is shown as the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from healthpm.domain.stories.star import PARTS, StoryText, sentences

Matrix = npt.NDArray[np.float32]

#: Cosine between a story sentence and a competency text for the sentence to count as proof.
PROOF_THRESHOLD = 0.42
#: Cosine between the story and a bank question (prompt or talking point) to offer it.
QUESTION_THRESHOLD = 0.35
QUESTION_CATEGORIES = ("behavioral", "career-transition")
MAX_QUESTIONS = 5
#: Actions and results prove more than context does.
PART_WEIGHT = {"situation": 0.85, "task": 0.9, "action": 1.0, "result": 1.0}


_CLAUSE = re.compile(
    r",? (?:and|then|but) (?=(?:I|we|ran|built|worked|wrote|put|added|hired|coached|tested|"
    r"stopped|found|fixed|broke|mapped|led|trained|met|redesigned)\b)|; |, (?=(?:I|we) )"
)


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence that carry an action of their own (three words or more)."""
    parts = [p.strip() for p in _CLAUSE.split(sentence) if p and len(p.split()) >= 3]
    return parts if len(parts) > 1 else []


class Encoder(Protocol):
    def encode(self, sentences: list[str]) -> Matrix: ...


class Tagger(Protocol):
    """What the story service needs: StoryTagger, or the web's scoring worker."""

    def tag(
        self, story: StoryText
    ) -> tuple[list[Proof], list[QuestionMatch], list[Translation]]: ...


@dataclass(frozen=True)
class Proof:
    competency: str
    name: str
    sentence: str
    part: str
    because: str
    similarity: float


@dataclass(frozen=True)
class QuestionMatch:
    id: str
    prompt: str
    category: str
    similarity: float


@dataclass(frozen=True)
class Translation:
    competency: str
    sentence: str
    clinical: str
    product_words: str
    background: str


def _translation_sides(text: str) -> tuple[str, str]:
    left, _, right = text.partition("->")
    return left.strip(), (right.strip() or left.strip())


class StoryTagger:
    """Embeds the knowledge base's competency texts once; tags stories against them."""

    def __init__(self, catalog: Any, encoder: Encoder) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self._owner: list[str] = []
        self._texts: list[str] = []
        for comp in catalog.competencies.values():
            for text in (comp.description, *comp.evidence_markers, *comp.meets.values()):
                self._owner.append(comp.id)
                self._texts.append(text)
        self._translations: list[tuple[str, str, str, str]] = []
        for bg in catalog.backgrounds.values():
            for brought in bg.brings:
                clinical, product = _translation_sides(brought.translation)
                self._owner.append(brought.competency)
                self._texts.append(clinical)
                self._translations.append((brought.competency, clinical, product, bg.id))
        self._matrix = self._encode_static(self._texts)
        self._questions = [
            q for q in catalog.questions.values() if q.category in QUESTION_CATEGORIES
        ]
        q_texts = [t for q in self._questions for t in (q.prompt, *q.talking_points)]
        self._q_owner = [q.id for q in self._questions for _ in (q.prompt, *q.talking_points)]
        self._q_matrix = self._encode_static(q_texts)

    def _encode_static(self, texts: list[str]) -> Matrix:
        static = getattr(self.encoder, "encode_static", None)
        vectors = static(texts) if callable(static) else self.encoder.encode(texts)
        return np.asarray(vectors, dtype=np.float32)

    def tag(self, story: StoryText) -> tuple[list[Proof], list[QuestionMatch], list[Translation]]:
        """Proofs (best sentence per competency), matching questions and translations."""
        located = [(p, s) for p in PARTS for s in sentences(story.part(p))]
        if not located:
            return [], [], []
        # Each sentence, then its clauses: "I interviewed twelve users and ran an A/B test"
        # proves discovery and experimentation, which the whole sentence blurs together.
        units = [(i, c) for i, (_, s) in enumerate(located) for c in (s, *clauses(s))]
        encoded = np.asarray(self.encoder.encode([c for _, c in units]), dtype=np.float32)
        whole = [k for k, (i, c) in enumerate(units) if c == located[i][1]]
        vectors = encoded[whole]
        proofs = self._proofs(located, units, encoded)
        questions = self._match_questions(vectors, {p.competency for p in proofs})
        translations = self._translate(located, vectors, proofs, story.background)
        return proofs, questions, translations

    def _proofs(
        self, located: list[tuple[str, str]], units: list[tuple[int, str]], encoded: Matrix
    ) -> list[Proof]:
        sims = encoded @ self._matrix.T
        best: dict[str, Proof] = {}
        for k, (i, _) in enumerate(units):
            part, sentence = located[i]
            weighted = sims[k] * PART_WEIGHT[part]
            for j in np.argsort(-weighted)[:3]:
                score = float(weighted[j])
                comp = self._owner[j]
                if score < PROOF_THRESHOLD or (comp in best and best[comp].similarity >= score):
                    continue
                name = self.catalog.competencies[comp].name
                best[comp] = Proof(comp, name, sentence, part, self._texts[j], round(score, 3))
        return sorted(best.values(), key=lambda p: -p.similarity)

    def _match_questions(self, vectors: Matrix, proven: set[str]) -> list[QuestionMatch]:
        if not self._questions:
            return []
        story_vec = vectors.mean(axis=0)
        story_vec = story_vec / (np.linalg.norm(story_vec) or 1.0)
        sims = self._q_matrix @ story_vec
        per_question: dict[str, float] = {}
        for owner, sim in zip(self._q_owner, sims, strict=True):
            per_question[owner] = max(per_question.get(owner, -1.0), float(sim))
        out = []
        for q in self._questions:
            overlap = len(proven & set(q.competencies)) / max(len(q.competencies), 1)
            score = 0.75 * per_question[q.id] + 0.25 * overlap
            if score >= QUESTION_THRESHOLD:
                out.append(QuestionMatch(q.id, q.prompt, q.category, round(score, 3)))
        out.sort(key=lambda m: -m.similarity)
        return out[:MAX_QUESTIONS]

    def _translate(
        self,
        located: list[tuple[str, str]],
        vectors: Matrix,
        proofs: list[Proof],
        background: str | None,
    ) -> list[Translation]:
        kinds = {b.id: b.kind for b in self.catalog.backgrounds.values()}
        if background is not None and kinds.get(background) not in (None, "clinical"):
            return []
        offset = len(self._texts) - len(self._translations)
        index = {s: i for i, (_, s) in enumerate(located)}
        out = []
        for proof in proofs:
            rows = [
                k
                for k, (comp, _, _, bg) in enumerate(self._translations)
                if comp == proof.competency
                and kinds.get(bg) == "clinical"
                and (background is None or bg == background)
            ]
            if not rows:
                continue
            vec = vectors[index[proof.sentence]]
            sims = [float(self._matrix[offset + k] @ vec) for k in rows]
            k = rows[int(np.argmax(sims))]
            if max(sims) < PROOF_THRESHOLD * 0.8:
                continue
            comp, clinical, product, bg = self._translations[k]
            out.append(Translation(comp, proof.sentence, clinical, product, bg))
        return out
