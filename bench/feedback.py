"""Feedback engine speed: warm latency of a ~250-word answer, overhead beyond encoding, batch.

Prints ratios measured in one run on this machine (targets from the practice issue):
  p95 warm feedback for a 250-word answer <= 150 ms
  time beyond encoding the answer's sentences <= 30% of that encoding time
  batch >= 15 answers/s
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.text import parse
from healthpm.embeddings import load_encoder

DEV = Path(__file__).resolve().parents[1] / "../shared/evals/dev.jsonl"
FALLBACK = (
    "First I would confirm the classification with our regulatory lead and look for a cleared "
    "predicate, because that decides between a 510(k) and a De Novo and sets the timeline. "
) * 8


def _answers() -> list[str]:
    if not DEV.exists():
        return [FALLBACK]
    rows = [json.loads(x) for x in DEV.read_text().splitlines() if x.strip()]
    return [r["answer"] for r in rows if 220 <= len(r["answer"].split()) <= 280]


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    encoder = load_encoder()
    try:
        from healthpm.catalog import get_catalog

        catalog = get_catalog()
    except Exception:  # incomplete content while other engineers write it
        catalog = SimpleNamespace(questions={}, flags={})
    engine = FeedbackEngine(catalog, encoder)
    answers = _answers()
    for a in answers[:3]:
        engine.score(answer=a)
    full: list[float] = []
    enc: list[float] = []
    for _ in range(3):
        for a in answers:
            sentences = [s.text for s in parse(a).content]
            t0 = time.perf_counter()
            encoder.encode(sentences)
            t1 = time.perf_counter()
            engine.score(answer=a)
            t2 = time.perf_counter()
            enc.append(t1 - t0)
            full.append(t2 - t1)
    overhead = [f - e for f, e in zip(full, enc, strict=True)]
    batch = [(a, None, None) for a in (answers * 4)[:60]]
    t0 = time.perf_counter()
    engine.score_many(batch)
    rate = len(batch) / (time.perf_counter() - t0)
    print(f"answers: {len(answers)} of 220-280 words, {len(full)} warm runs")
    print(
        f"feedback  median {statistics.median(full) * 1000:.1f} ms  p95 {_p95(full) * 1000:.1f} ms"
        f"  (target p95 <= 150 ms)"
    )
    print(f"encoding  median {statistics.median(enc) * 1000:.1f} ms  p95 {_p95(enc) * 1000:.1f} ms")
    ratio = statistics.median(overhead) / statistics.median(enc)
    print(f"overhead beyond encoding / encoding (median): {ratio:.2f}  (target <= 0.30)")
    print(f"batch: {rate:.1f} answers/s  (target >= 15)")


if __name__ == "__main__":
    main()
