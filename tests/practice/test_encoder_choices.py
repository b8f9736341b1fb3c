"""How the encoder runs: bfloat16 only on CPUs that multiply it natively, and batch cuts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from healthpm import embeddings

_READ = embeddings._cpu_flags


def _torch(onednn_says: bool) -> SimpleNamespace:
    return SimpleNamespace(
        ops=SimpleNamespace(mkldnn=SimpleNamespace(_is_mkldnn_bf16_supported=lambda: onednn_says))
    )


def _cpuinfo(tmp_path: Path, flags: str) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: test\nflags\t\t: {flags}\n\nflags\t: other\n")
    return path


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("fpu sse2 avx2 avx512f avx512_vnni", False),  # AVX-512 without BF16: emulated
        ("fpu avx2 avx512f avx512_bf16", True),
        ("fpu avx2 amx_tile amx_bf16", True),
        ("fpu sse2 avx2", False),
    ],
)
def test_bf16_needs_native_instructions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: str, expected: bool
) -> None:
    monkeypatch.delenv("HEALTHPM_EMBED_FP32", raising=False)
    info = _cpuinfo(tmp_path, flags)
    monkeypatch.setattr(embeddings, "_cpu_flags", lambda: _READ(info))
    assert embeddings._bf16_ok(_torch(onednn_says=True)) is expected


def test_first_cpu_flags_are_read_and_a_missing_file_is_no_flags(tmp_path: Path) -> None:
    assert "avx512_bf16" in embeddings._cpu_flags(_cpuinfo(tmp_path, "avx2 avx512_bf16"))
    assert embeddings._cpu_flags(tmp_path / "absent") == set()


def test_onednn_and_the_override_still_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = _cpuinfo(tmp_path, "avx512f avx512_bf16")
    monkeypatch.setattr(embeddings, "_cpu_flags", lambda: _READ(info))
    monkeypatch.delenv("HEALTHPM_EMBED_FP32", raising=False)
    assert embeddings._bf16_ok(_torch(onednn_says=False)) is False
    monkeypatch.setenv("HEALTHPM_EMBED_FP32", "1")
    assert embeddings._bf16_ok(_torch(onednn_says=True)) is False


def test_batches_are_cut_where_padding_costs_more_than_a_forward_pass() -> None:
    # Ten short texts and two long ones: padding the short ones to 120 tokens costs far more
    # than a second forward pass, so they are cut apart.
    lengths = [10] * 10 + [120, 120]
    assert embeddings.plan_batches(lengths, fixed=53, most=32) == [(0, 10), (10, 12)]
    # Nearly equal lengths: one pass is cheaper than two.
    assert embeddings.plan_batches([10, 11, 12, 13], fixed=53, most=32) == [(0, 4)]
    # Never more than `most` in a batch, and every text in exactly one batch.
    cuts = embeddings.plan_batches([7] * 70, fixed=53, most=32)
    assert all(b - a <= 32 for a, b in cuts)
    assert [i for a, b in cuts for i in range(a, b)] == list(range(70))
    assert embeddings.plan_batches([], fixed=53, most=32) == []
