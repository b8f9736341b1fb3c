"""Answer scoring in a worker process, for the web server.

In the server process, scoring's Python work (parsing, flags, calibration) holds the GIL and
its encodings take every core, so page requests queued behind it. A single worker process
at a lower CPU priority keeps the model out of the server's interpreter: pages are served
first, answers use what is left. Encodings were already serialised, so one worker loses
no throughput.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from healthpm.catalog import Catalog
from healthpm.domain.feedback.schema import Feedback
from healthpm.web.workers import single_worker_pool, start_worker

WORKER_NICENESS = 5
#: One batch at a time: with two torch threads, under the server's load, the threads waited on
#: each other and an answer took 4x longer (web_load scoring p50 600 -> 130 ms) for the same
#: pages. Every batch runs on one torch thread anyway (embeddings.py), so the vectors are the
#: same as the command line's.
WORKER_ENCODE_WORKERS = 1
_ENGINE: Any = None
_TAGGER: Any = None


def _start_worker() -> None:
    global _ENGINE
    start_worker(WORKER_NICENESS)
    from healthpm.catalog import get_catalog
    from healthpm.practice.scoring import load_engine

    _ENGINE = load_engine(get_catalog())
    from healthpm.embeddings import load_encoder

    load_encoder().set_workers(WORKER_ENCODE_WORKERS)
    gc.freeze()


def _score_many(items: list[tuple[str, str | None, str | None]]) -> list[Feedback]:
    return list(_ENGINE.score_many(items))


def _tag_story(story: Any) -> Any:
    """Story tagging in the worker too, so the server process never loads the model."""
    global _TAGGER
    if _TAGGER is None:
        from healthpm.catalog import get_catalog
        from healthpm.domain.stories.tagging import StoryTagger
        from healthpm.embeddings import load_encoder

        _TAGGER = StoryTagger(get_catalog(), load_encoder())
    return _TAGGER.tag(story)


def _ready() -> bool:
    return _ENGINE is not None


class ProcessEngine:
    """A ScoringEngine whose work runs in one lower-priority worker process."""

    def __init__(self) -> None:
        self._pool = single_worker_pool(_start_worker)
        self.is_warm = False  # pages say "the model is still loading" until this is set

    def __call__(self, catalog: Catalog) -> ProcessEngine:
        """Fits create_app's `engine` hook (the worker loads the shipped catalog itself)."""
        return self

    def warm(self) -> None:
        """Start the worker and load the model now, so the first answer does not wait."""
        self.is_warm = bool(self._pool.submit(_ready).result())

    def score(
        self, *, answer: str, question_id: str | None = None, question_text: str | None = None
    ) -> Feedback:
        return self.score_many([(answer, question_id, question_text)])[0]

    def score_many(self, items: Sequence[tuple[str, str | None, str | None]]) -> list[Feedback]:
        result = self._pool.submit(_score_many, list(items)).result()
        self.is_warm = True
        return result

    def tag(self, story: Any) -> Any:
        """A story's proofs, questions and translations (see StoryTagger.tag), in the worker."""
        return self._pool.submit(_tag_story, story).result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
