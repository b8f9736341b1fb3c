"""Feedback engine with the real embedding model: eval targets, robustness, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DEV = Path(__file__).resolve().parents[2] / "../shared/evals/dev.jsonl"
TERMS = "HIPAA, BAA, PHI, FDA, 510(k), De Novo, SaMD, FHIR, HL7, CPT, HEDIS, value-based care."

pytestmark = pytest.mark.slow


def test_cli_import_does_not_load_torch() -> None:
    code = "import sys, healthpm.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


DEV2 = DEV.with_name("dev2.jsonl")


def _load(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        pytest.skip(f"graded set not found at {path.resolve()} (shared/ is outside the repo)")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return _load(DEV)


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    from healthpm.catalog import get_catalog

    return get_catalog()


@pytest.fixture(scope="module")
def engine(catalog):  # type: ignore[no-untyped-def]
    from healthpm.domain.feedback.engine import FeedbackEngine
    from healthpm.embeddings import load_encoder

    return FeedbackEngine(catalog, load_encoder())


@pytest.fixture(scope="module")
def splits(engine):  # type: ignore[no-untyped-def]
    from healthpm.domain.feedback.evaluate import evaluate, parse_records

    sets = [parse_records([json.dumps(r) for r in _load(path)], path.stem) for path in (DEV, DEV2)]
    return evaluate(engine, sets)


def test_three_evaluations_never_below_the_embedding_ridge(splits) -> None:  # type: ignore[no-untyped-def]
    assert [s.name.split(" ")[0] for s in splits] == ["leave-one-question-out", "train", "train"]
    for split in splits:
        assert split.engine.spearman > split.baseline.spearman, split.name
        assert split.engine.kappa > split.baseline.kappa, split.name
        assert split.engine.adjacent >= split.baseline.adjacent, split.name


def test_on_topic_answers_are_not_called_off_topic(splits) -> None:  # type: ignore[no-untyped-def]
    assert all(s.off_topic_called <= 1 for s in splits)


def test_off_topic_answer_is_marked_and_capped(engine, catalog) -> None:  # type: ignore[no-untyped-def]
    strong = [
        r
        for r in _load(DEV2)
        if r.get("question_id") == "priv-patient-api-third-party-app" and r["grade"] == 5
    ]
    fb = engine.score(answer=str(strong[0]["answer"]), question_id="wf-ambient-scribe-rollout")
    assert not fb.on_topic and fb.overall <= 1.5
    same = engine.score(answer=str(strong[0]["answer"]), question_id=str(strong[0]["question_id"]))
    assert same.on_topic and same.overall >= 3.5


SEPARATORS = (", ", "; ", " / ", " | ", " #", "\n- ", "\n")


def _listed(answer: str, sep: str) -> str:
    terms = TERMS.rstrip(".").split(", ")
    joined = ("#" if sep == " #" else "") + sep.join(terms)
    return answer + ("\n" if sep.startswith("\n") else "\n\n") + joined


def test_term_lists_never_raise_and_cost_a_strong_answer_at_most_half_a_point(
    engine, records
) -> None:  # type: ignore[no-untyped-def]
    for r in records[:16]:
        answer, question = str(r["answer"]), str(r["question"])
        base = engine.score(answer=answer, question_text=question)
        for sep in SEPARATORS:
            listed = engine.score(answer=_listed(answer, sep), question_text=question)
            assert listed.overall <= base.overall + 1e-9, (r["id"], sep)
            if base.overall >= 4.0:
                assert base.overall - listed.overall <= 0.5 + 1e-9, (r["id"], sep)
            for hit in listed.flags:
                if hit.id == "keyword-stuffing":
                    assert "FHIR" in hit.evidence or "HIPAA" in hit.evidence, (r["id"], sep)


README_RPM = (
    "We would launch RPM with a pilot at two clinics, with nurses reviewing alerts daily, and "
    "measure readmissions against last year."
)
README_TAGS = "#HIPAA #BAA #PHI #FDA #510k #DeNovo #SaMD #FHIR #HL7 #CPT #HEDIS #ValueBasedCare"


def test_the_readme_hashtag_list_is_quoted_and_costs_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    question = "How would you launch RPM?"
    plain = engine.score(answer=README_RPM, question_text=question)
    listed = engine.score(answer=f"{README_RPM}\n{README_TAGS}\n", question_text=question)
    assert listed.overall == plain.overall
    # The README promises a keyword-stuffing flag, fired or "possible", quoting the list.
    hits = {f.id: f.evidence for f in listed.flags}
    hits.update({p.id: p.evidence for p in listed.possible_flags})
    assert "keyword-stuffing" in hits
    assert "#HIPAA" in hits["keyword-stuffing"]


def test_same_answer_same_output_alone_and_in_a_batch(engine, records) -> None:  # type: ignore[no-untyped-def]
    items = [(str(r["answer"]), None, str(r["question"])) for r in records[:12]]
    batch = engine.score_many(items + items[::-1])
    for i, (answer, _, question) in enumerate(items):
        alone = engine.score(answer=answer, question_text=question).model_dump()
        assert batch[i].model_dump() == alone
        assert batch[len(items) * 2 - 1 - i].model_dump() == alone


def test_contributions_add_up_on_graded_answers(engine, records) -> None:  # type: ignore[no-untyped-def]
    for fb in engine.score_many([(str(r["answer"]), None, str(r["question"])) for r in records]):
        assert abs(sum(c.points for c in fb.contributions) - fb.overall) < 1e-6


def test_vectors_do_not_depend_on_how_many_batches_run_at_once(records) -> None:  # type: ignore[no-untyped-def]
    """Each batch runs on one torch thread, so the web worker (one batch at a time) and the
    command line (one per core) get bit-identical vectors."""
    from healthpm.embeddings import load_encoder

    encoder = load_encoder()
    before = encoder.workers
    texts = [s for r in records[:6] for s in str(r["answer"]).split(". ")]
    try:
        encoder.set_workers(1)
        one = encoder.encode(texts)
        encoder.set_workers(3)
        three = encoder.encode(texts)
    finally:
        encoder.set_workers(before)
    assert len(encoder._batches(texts)) >= 3  # so three batches really run side by side
    assert np.array_equal(one, three)


def test_concurrent_encodes_give_each_caller_its_own_vectors(records) -> None:  # type: ignore[no-untyped-def]
    """score_many encodes answers side by side; the shared tokenizer must not mix them up."""
    from concurrent.futures import ThreadPoolExecutor

    from healthpm.embeddings import load_encoder

    encoder = load_encoder()
    answers = [str(r["answer"]).split(". ") for r in records[:40]]
    alone = [encoder.encode(a) for a in answers]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(encoder.encode, answers * 2))
    for k, vectors in enumerate(together):
        assert np.array_equal(vectors, alone[k % len(answers)])
