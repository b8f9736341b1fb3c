"""Size limits on what people type, the same on every way in: web form, JSON API, import
file and CLI (each front end also refuses larger input early, with these numbers)."""

from __future__ import annotations

from healthpm.errors import InvalidInputError

MAX_ANSWER_CHARS = 60_000
MAX_ANSWER_WORDS = 5_000
MAX_QUESTION_CHARS = 2_000
#: A flag's evidence sentence, and a profile's evidence note per competency.
MAX_EVIDENCE_CHARS = 2_000


def check_answer_words(answer: str) -> None:
    """InvalidInputError when the answer is longer than the limits (characters, then words)."""
    if len(answer) > MAX_ANSWER_CHARS:
        raise InvalidInputError(
            f"the answer has {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,}"
        )
    words = len(answer.split())
    if words > MAX_ANSWER_WORDS:
        raise InvalidInputError(
            f"the answer has {words:,} words; the limit is {MAX_ANSWER_WORDS:,}, shorten it"
        )
