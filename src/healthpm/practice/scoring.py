"""The scoring engine as the practice service sees it, and its lazy loader.

The service takes any object with `score` and `score_many` (the real FeedbackEngine, or a
fake in tests). `load_engine` is the only place that imports the embedding model, so the
commands that do not score never import torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from healthpm.catalog import Catalog
from healthpm.domain.feedback.schema import Feedback
from healthpm.errors import InvalidInputError
from healthpm.limits import check_answer_words

#: (answer, question id or None, question text or None), as FeedbackEngine.score_many takes.
ScoreRequest = tuple[str, str | None, str | None]


class ScoringEngine(Protocol):
    """What the practice service needs from healthpm.domain.feedback.engine.FeedbackEngine."""

    def score(
        self, *, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback: ...

    def score_many(self, items: Sequence[ScoreRequest]) -> list[Feedback]: ...


def load_engine(catalog: Catalog) -> ScoringEngine:
    """The real engine over the catalog; loads the embedding model (about a second)."""
    from healthpm.domain.feedback.engine import FeedbackEngine
    from healthpm.embeddings import load_encoder

    engine: ScoringEngine = FeedbackEngine(catalog, load_encoder())
    return engine


def check_answer(answer: str) -> str:
    """The answer, or InvalidInputError when it is empty or longer than the engine accepts."""
    if not answer.strip():
        raise InvalidInputError("the answer is empty; write an answer and score it again")
    check_answer_words(answer)
    return answer


def contract_dict(feedback: Feedback) -> dict[str, Any]:
    """The PRODUCT.md feedback contract object, as the CLI prints it and the batch writes it.

    The contract's keys come first; the extras a reader needs to trust the score follow:
    each flag's knowledge-base mistake id (its BAD/GOOD pair) and confidence, the
    explanation lines, `phi_warning` and the `rules_version` that produced it.
    """
    data = feedback.model_dump(mode="json")
    keys = (
        "overall",
        "on_topic",
        "reads_as",
        "basis",
        "dimensions",
        "contributions",
        "flags",
        "possible_flags",
        "talking_points",
        "matched_question",
        "explanation",
        "phi_warning",
        "rules_version",
    )
    return {key: data[key] for key in keys}
