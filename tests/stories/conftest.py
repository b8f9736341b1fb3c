"""Story fixtures: the real catalog, a word-overlap encoder instead of the model, the fake
scoring engine, and a CLI runner wired to them."""

from __future__ import annotations

import io
import re
import sys
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy.orm import Session, sessionmaker

from healthpm.catalog import Catalog, get_catalog
from healthpm.cli import practice_common, story
from healthpm.domain.stories.tagging import StoryTagger
from practice.conftest import CliResult, Runner
from practice.fakes import FakeEngine

STOP = frozenset(
    re.findall(
        r"\w+",
        "the and for with was were that this from into our their his her you your are has have "
        "had who what when which its not but all any one two",
    )
)


class WordEncoder:
    """Bag-of-words vectors (hashed, L2-normalised): similar wording, similar vector."""

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(sentences), 1024), dtype=np.float32)
        for i, text in enumerate(sentences):
            for word in re.findall(r"[a-z][a-z-]+", text.lower()):
                if len(word) > 2 and word not in STOP:
                    out[i, zlib.crc32(word[:6].encode()) % 1024] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    return get_catalog()


@pytest.fixture(scope="session")
def tagger(real_catalog: Catalog) -> StoryTagger:
    return StoryTagger(real_catalog, WordEncoder())


@pytest.fixture
def engine(real_catalog: Catalog) -> FakeEngine:
    return FakeEngine(real_catalog)


@pytest.fixture
def run_cli(
    session_factory: sessionmaker[Session],
    real_catalog: Catalog,
    engine: FakeEngine,
    tagger: StoryTagger,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Runner:
    """`healthpm ARGS` with the real catalog, the fake engine and the word-overlap tagger."""
    loads: list[int] = []

    def fake_engine(_catalog: Catalog) -> FakeEngine:
        loads.append(1)
        return engine

    def fake_tagger(_catalog: Catalog) -> Any:
        loads.append(1)
        return tagger

    monkeypatch.setattr(practice_common, "catalog", lambda: real_catalog)
    monkeypatch.setattr(practice_common, "engine", fake_engine)
    monkeypatch.setattr(practice_common, "session_factory", lambda: session_factory)
    monkeypatch.setattr(story, "tagger", fake_tagger)

    def run(*args: str, stdin: str = "") -> CliResult:
        from healthpm.cli import app
        from healthpm.cli.common import run_app

        monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
        )
        capsys.readouterr()
        code = run_app(app, list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    run.loads = loads  # type: ignore[attr-defined]
    return run
