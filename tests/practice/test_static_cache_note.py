"""The one slow start (building the vector cache of built-in texts) says why, on stderr."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from healthpm import embeddings
from healthpm.embeddings import NOTE_AT, MiniLMEncoder


def _encoder(cache: Path) -> MiniLMEncoder:
    model = SimpleNamespace(get_embedding_dimension=lambda: 4, dtype="float32")
    enc = MiniLMEncoder(model, cache_dir=cache)
    enc.encode = lambda s: np.ones((len(s), 4), dtype=np.float32)  # type: ignore[method-assign, assignment]
    return enc


def test_first_build_notes_on_stderr_then_reads_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "_NOTED", threading.Event())
    texts = [f"built-in text {i}" for i in range(NOTE_AT)]
    first = _encoder(tmp_path).encode_static(texts)
    more = [f"another built-in text {i}" for i in range(NOTE_AT)]
    _encoder(tmp_path).encode_static(more)  # a second batch in the same process: no repeat
    err = capsys.readouterr()
    assert err.err.count("preparing") == 1 and "once" in err.err and err.out == ""
    again = _encoder(tmp_path).encode_static(texts)
    assert capsys.readouterr().err == ""
    assert np.array_equal(first, again)


def test_small_misses_are_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _encoder(tmp_path).encode_static(["one prompt"])
    assert capsys.readouterr().err == ""
