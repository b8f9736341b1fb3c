"""Feedback engine logic with a tiny deterministic fake encoder (no model, no torch)."""

from __future__ import annotations

import hashlib
import json
import re
from types import SimpleNamespace

import numpy as np
import pytest

from healthpm.domain.feedback import scoring
from healthpm.domain.feedback.calibration import MIN_CUT_GAP, fit_cuts
from healthpm.domain.feedback.engine import FeedbackEngine
from healthpm.domain.feedback.fitting import Graded, fit
from healthpm.domain.feedback.flag_probe import parse_probe, probe
from healthpm.domain.feedback.metrics import agreement, quadratic_kappa, spearman, to_grade
from healthpm.domain.feedback.rules import exemplars_text, parse_spec
from healthpm.domain.feedback.text import parse
from healthpm.errors import ContentError, DataFileError, InvalidInputError, NotFoundError


class HashEncoder:
    """Hashed bag of words, L2-normalised: similar wording -> similar vectors."""

    def encode(self, sentences: list[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 256), dtype=np.float32)
        for i, s in enumerate(sentences):
            for w in s.lower().split():
                w = w.strip(".,;:!?'\"()")
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def _question() -> SimpleNamespace:
    return SimpleNamespace(
        prompt="How would you make patient messaging HIPAA compliant?",
        talking_points=[
            "business associate agreements with vendors",
            "audit trail of access",
            "minimum necessary notifications",
            "breach response process",
        ],
    )


@pytest.fixture(scope="module")
def engine() -> FeedbackEngine:
    catalog = SimpleNamespace(questions={"q-msg": _question()}, flags={})
    return FeedbackEngine(catalog, HashEncoder())


GOOD = (
    "First, every vendor that stores PHI signs a business associate agreement. "
    "Second, access is limited to the care team with MFA. "
    "Third, an audit trail records who viewed each message, reviewed monthly by compliance."
)


def test_empty_answer_is_rejected(engine: FeedbackEngine) -> None:
    with pytest.raises(InvalidInputError, match="answer is empty"):
        engine.score(answer="   \n", question_id="q-msg")


def test_too_long_answer_is_rejected(engine: FeedbackEngine) -> None:
    with pytest.raises(InvalidInputError):
        engine.score(answer="word " * 5001)


def test_unknown_question_is_not_found(engine: FeedbackEngine) -> None:
    with pytest.raises(NotFoundError):
        engine.score(answer=GOOD, question_id="nope")


def test_feedback_shape_and_determinism(engine: FeedbackEngine) -> None:
    first = engine.score(answer=GOOD, question_id="q-msg")
    second = engine.score(answer=GOOD, question_id="q-msg")
    assert first.model_dump() == second.model_dump()
    assert 1.0 <= first.overall <= 5.0
    assert set(first.dimensions) == {
        "structure",
        "specificity",
        "data",
        "domain",
        "risk_safety",
        "stakeholders",
    }
    assert all(1 <= v <= 5 for v in first.dimensions.values())
    assert first.matched_question is not None and first.matched_question.id == "q-msg"
    assert first.talking_points.covered or first.talking_points.missing
    assert first.explanation and first.rules_version


def test_score_many_matches_score(engine: FeedbackEngine) -> None:
    batch = engine.score_many([(GOOD, "q-msg", None), (GOOD, None, "Unrelated estimation")])
    assert batch[0].model_dump() == engine.score(answer=GOOD, question_id="q-msg").model_dump()
    assert batch[1].matched_question is None


def test_encryption_only_fires_hipaa_checkbox(engine: FeedbackEngine) -> None:
    text = (
        "HIPAA is mostly about encryption. Because everything is encrypted at rest and in "
        "transit, the product is HIPAA compliant."
    )
    fb = engine.score(answer=text)
    hits = {f.id: f for f in fb.flags}
    assert "hipaa-checkbox" in hits
    assert hits["hipaa-checkbox"].evidence in text
    assert hits["hipaa-checkbox"].advice


def test_negated_experiment_does_not_fire(engine: FeedbackEngine) -> None:
    text = (
        "We would never A/B test alert thresholds or dosing advice on live patients. "
        "Changes to clinical logic go through the decision support committee."
    )
    assert "unsafe-experimentation" not in {f.id for f in engine.score(answer=text).flags}


def test_appended_terms_are_not_content() -> None:
    parsed = parse("We sign BAAs with vendors. HIPAA, BAA, FHIR, HL7, PHI, SaMD, CPT.")
    assert [s.text for s in parsed.content] == ["We sign BAAs with vendors."]
    assert parsed.list_terms >= 4


def test_bulleted_terms_are_not_content() -> None:
    parsed = parse("We sign BAAs with vendors.\n- HIPAA\n- FHIR\n- 510(k)\n- HL7")
    assert len(parsed.content) == 1


def test_metrics() -> None:
    assert spearman([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert quadratic_kappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert agreement([1, 3], [2, 5]) == (0.0, 0.5)
    assert to_grade(2.5) == 3 and to_grade(0.2) == 1


def test_almost_empty_answers_are_capped() -> None:
    from healthpm.domain.feedback.scoring import SHORT_ANSWER_CAPS, length_cap

    (short_limit, short_cap), (brief_limit, brief_cap) = SHORT_ANSWER_CAPS
    tiny, brief = length_cap(short_limit - 1), length_cap(brief_limit - 1)
    assert tiny is not None and tiny[0] == short_cap and "too few" in tiny[1]
    assert brief is not None and brief[0] == brief_cap
    assert length_cap(brief_limit) is None


SEPARATORS = {
    "commas": ", ",
    "semicolons": "; ",
    "slashes": " / ",
    "pipes": " | ",
    "hashtags": " #",
    "bullets": "\n- ",
    "lines": "\n",
}
LIST_TERMS = ["HIPAA", "BAA", "FHIR", "HL7", "SaMD", "510(k)", "value-based care"]


def _with_list(answer: str, sep: str) -> str:
    joined = sep.join(LIST_TERMS)
    if sep == " #":
        joined = "#" + joined
    return answer + ("\n" if sep.startswith("\n") else "\n\n") + joined


@pytest.mark.parametrize("sep", list(SEPARATORS.values()), ids=list(SEPARATORS))
def test_term_lists_in_any_separator_are_not_content(sep: str) -> None:
    parsed = parse(_with_list(GOOD, sep))
    assert [s.text for s in parsed.content] == [s.text for s in parse(GOOD).content]
    assert parsed.list_terms >= 4


def test_prose_with_slashes_and_hashes_stays_content() -> None:
    text = "We check and/or escalate 24/7, and the #1 risk is a missed alert."
    assert [s.text for s in parse(text).content] == [text]


@pytest.mark.parametrize("sep", list(SEPARATORS.values()), ids=list(SEPARATORS))
def test_term_list_never_raises_and_stuffing_quotes_the_list(
    engine: FeedbackEngine, sep: str
) -> None:
    base = engine.score(answer=GOOD, question_id="q-msg")
    listed = engine.score(answer=_with_list(GOOD, sep), question_id="q-msg")
    assert listed.overall <= base.overall
    assert base.overall - listed.overall <= 0.5 + 1e-9
    for hit in listed.flags:
        if hit.id == "keyword-stuffing":
            assert "FHIR" in hit.evidence


def test_contributions_add_up_to_the_overall(engine: FeedbackEngine) -> None:
    for answer, qid in ((GOOD, "q-msg"), ("We will go viral with streaks and badges.", None)):
        fb = engine.score(answer=answer, question_id=qid)
        assert fb.contributions
        assert sum(c.points for c in fb.contributions) == pytest.approx(fb.overall, abs=1e-6)
        assert fb.explanation[0].startswith(f"Overall {fb.overall:.2f}/5")


def test_basis_says_whether_the_bank_was_used(engine: FeedbackEngine) -> None:
    assert engine.score(answer=GOOD, question_id="q-msg").basis == "bank"
    assert engine.score(answer=GOOD, question_text="Estimate the market size").basis == "general"


def test_same_answer_same_output_alone_or_in_any_batch(engine: FeedbackEngine) -> None:
    alone = engine.score(answer=GOOD, question_id="q-msg").model_dump()
    others = [("We will go viral. Streaks keep users opening the app.", None, "Growth?")] * 3
    batch = engine.score_many([*others, (GOOD, "q-msg", None), *others[:1]])
    assert batch[3].model_dump() == alone


def test_unfired_flag_costs_nothing(engine: FeedbackEngine) -> None:
    from dataclasses import replace

    from healthpm.domain.feedback.calibration import FLAG_READING_WEIGHT
    from healthpm.domain.feedback.features import FlagScore
    from healthpm.domain.feedback.fitting import apply

    prepared = engine.prepare_many([(GOOD, "q-msg", None)])[0]
    cal = engine.rules.calibration
    reading = cal.reading(prepared.content_vector)
    # Just under each threshold once the whole-answer reading is added (scoring.flag_score).
    quiet = {f: FlagScore(-1.0, s.evidence) for f, s in prepared.analysis.flags.items()}
    near = {
        f: FlagScore(
            cal.threshold(f) - 0.01 - FLAG_READING_WEIGHT * reading.get(f, 0.0),
            max(s.evidence, 0),
        )
        for f, s in prepared.analysis.flags.items()
    }
    low = apply(replace(prepared, analysis=replace(prepared.analysis, flags=quiet)), cal)
    close = apply(replace(prepared, analysis=replace(prepared.analysis, flags=near)), cal)
    assert close.overall == low.overall and not close.fired
    assert set(close.possible) == set(near)


def test_shipped_weights_follow_the_rubric() -> None:
    from healthpm.domain.feedback.calibration import MAX_STUFFING_COST, PARTS
    from healthpm.domain.feedback.rules import load_calibration

    weights = load_calibration().weights
    for name, sign in PARTS:
        assert sign * weights.get(name, 0.0) >= 0, name
    assert weights.get("keyword_stuffing", 0.0) >= -MAX_STUFFING_COST - 1e-9
    assert "log_words" not in weights


def test_talking_points_states_and_contrast() -> None:
    from healthpm.domain.feedback.coverage import clauses, denies, judge

    enc = HashEncoder()
    points = ["sign a business associate agreement with every vendor", "breach response plan"]
    units = ["We sign a business associate agreement with every vendor before data flows."]
    got = judge(points, enc.encode(points), units, enc.encode(units))
    assert got.covered == [points[0]] and got.missing == [points[1]]
    assert denies("the BAA is mostly a legal formality", "No BAA, no PHI")
    assert not denies("no vendor sees PHI without a signed BAA", "No BAA, no PHI")
    formality = ["sign a business associate agreement with every vendor is mostly a formality"]
    dismissed = judge(points[:1], enc.encode(points[:1]), formality, enc.encode(formality))
    assert not dismissed.covered
    assert clauses("We encrypt data, but the BAA is a formality; legal owns it") == [
        "We encrypt data",
        "the BAA is a formality",
        "legal owns it",
    ]


def test_relevance_off_topic_needs_another_question_to_fit_better() -> None:
    from healthpm.domain.feedback.relevance import judge, open_ended

    rng = np.random.default_rng(0)
    prompts = rng.normal(size=(20, 16)).astype(np.float32)
    prompts /= np.linalg.norm(prompts, axis=1, keepdims=True)
    ids = [f"q{i}" for i in range(20)]
    answer_to_q3 = prompts[3] + 0.05 * prompts[7]
    answer_to_q3 /= np.linalg.norm(answer_to_q3)
    on = judge(answer_to_q3, prompts[3], "How would you launch it?", prompts, ids)
    off = judge(answer_to_q3, prompts[5], "How would you launch it?", prompts, ids)
    assert on.on_topic and not off.on_topic and off.reads_as == "q3"
    story = judge(answer_to_q3, prompts[5], "Tell me about a time you failed.", prompts, ids)
    assert story.on_topic and open_ended("Tell me about a time you failed.")


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=-1, keepdims=True)).astype(np.float32)


def _random_bank(seed: int, n: int, dim: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Unit prompt and model-answer vectors for n bank questions q0..q{n-1}."""
    rng = np.random.default_rng(seed)
    prompts, models = _unit(rng.normal(size=(n, dim))), _unit(rng.normal(size=(n, dim)))
    return prompts, models, [f"q{i}" for i in range(n)]


def test_reads_as_weighs_the_model_answers_too() -> None:
    from healthpm.domain.feedback.relevance import judge

    unit = _unit
    prompts, models, ids = _random_bank(1, 20, 32)
    # Worded a little like q4's prompt, but what it says is q2's model answer.
    answer = unit(0.45 * prompts[4] + 0.35 * prompts[2] + 0.9 * models[2])
    asked = prompts[5]
    by_prompt = judge(answer, asked, "How would you launch it?", prompts, ids)
    both = judge(answer, asked, "How would you launch it?", prompts, ids, None, models)
    assert not by_prompt.on_topic and by_prompt.reads_as == "q4"
    assert not both.on_topic and both.reads_as == "q2"


def test_a_bank_answer_that_reads_clearly_as_another_question_is_off_topic() -> None:
    # Its own prompt stands out (prompt z above BANK_PROMPT_Z), but another bank question fits
    # better by its prompt and by its model answer, and its own model answer does not fit.
    from healthpm.domain.feedback.relevance import BANK_PROMPT_Z, judge, zscore

    unit = _unit
    prompts, models, ids = _random_bank(2, 30, 64)
    elsewhere = unit(0.5 * prompts[5] + 1.0 * prompts[2] + 0.9 * models[2])
    assert zscore(elsewhere, prompts[5], prompts, np.zeros(30, dtype=bool)) > BANK_PROMPT_Z
    off = judge(
        elsewhere, prompts[5], "How would you plan the rollout?", prompts, ids, "q5", models
    )
    assert not off.on_topic and off.reads_as == "q2"
    own = unit(0.5 * prompts[5] + 0.3 * prompts[2] + 0.9 * models[5])
    on = judge(own, prompts[5], "How would you plan the rollout?", prompts, ids, "q5", models)
    assert on.on_topic


COVERAGE_FIXTURE = [
    {"answer_id": "a1", "question_id": "q-msg", "point_index": 0,
     "point": "business associate agreements with vendors",
     "answer": "Every vendor signs business associate agreements with us before data flows.",
     "label": "covered"},
    {"answer_id": "a1", "question_id": "q-msg", "point_index": 1,
     "point": "breach response process",
     "answer": "Every vendor signs business associate agreements with us before data flows.",
     "label": "missing"},
    {"answer_id": "a2", "question_id": "q-msg", "point_index": 0,
     "point": "business associate agreements with vendors",
     "answer": "Business associate agreements with vendors are mostly a formality for legal.",
     "label": "missing"},
]  # fmt: skip


def test_coverage_eval_reports_precision_of_covered_and_missing() -> None:
    import json

    from healthpm.domain.feedback.coverage_eval import evaluate_coverage, parse_pairs

    pairs = parse_pairs([json.dumps(r) for r in COVERAGE_FIXTURE], "fixture")
    report = evaluate_coverage(HashEncoder(), pairs)
    assert report.pairs == 3
    assert report.confusion.get(("covered", "covered")) == 1
    assert report.precision("covered") == 1.0
    assert report.to_json()["missing"]["labelled"] == 2


def test_coverage_eval_rejects_bad_labels() -> None:
    from healthpm.domain.feedback.coverage_eval import parse_pairs
    from healthpm.errors import DataFileError

    with pytest.raises(DataFileError, match="line 1"):
        parse_pairs(['{"point": "p", "answer": "a", "label": "maybe"}'], "bad")


def test_a_bare_term_list_in_training_keeps_the_content_model(engine: FeedbackEngine) -> None:
    """A training answer with no content sentence (only a term list) once made the fit drop
    the whole-answer embedding for every answer: the corpus then looked harmful."""

    texts = [
        (GOOD, 5),
        ("We encrypt the data so we are compliant.", 1),
        ("Every vendor signs a BAA and compliance reviews the audit trail monthly.", 4),
        ("Patients like messaging, so we ship it fast and see what happens.", 2),
        ("BAA | HIPAA | PHI | audit | MFA | encryption", 1),
    ]
    items = [
        Graded(p, grade, frozenset(), "q-msg")
        for p, (_, grade) in zip(
            engine.prepare_many([(t, "q-msg", None) for t, _ in texts]), texts, strict=True
        )
    ]
    assert items[-1].prepared.embedded.answer.shape[0] != 256  # no content sentence
    cal = fit(items, engine.bank.flag_ids)
    assert cal.content is not None and cal.content.support.shape == (len(items), 256)


def test_coverage_thresholds_are_rechosen_on_other_questions() -> None:
    """Cross-validation picks each fold's thresholds without that fold's labels."""
    from healthpm.domain.feedback.coverage import Match
    from healthpm.domain.feedback.coverage_eval import Pair, cross_validated

    pairs, matched = [], []
    for q in range(20):
        for label, score in (("covered", 0.9), ("partly", 0.5), ("missing", 0.1)):
            pairs.append(Pair(f"a{q}", "point", "answer", label, f"q{q}"))
            matched.append(Match(score, score))
    # One question whose labels contradict its scores: only its own fold can be wrong (the
    # other folds' training side keeps 19 of 20 "covered" claims right: 0.95, enough).
    pairs.append(Pair("a9", "point", "answer", "missing", "q0"))
    matched.append(Match(0.9, 0.9))
    report = cross_validated(pairs, matched, folds=20)
    assert report.pairs == len(pairs)
    assert report.confusion[("covered", "covered")] == 20
    assert report.confusion[("missing", "missing")] == 20
    assert report.confusion[("missing", "covered")] == 1
    # With too few clean questions beside it, the contradiction stops the other folds from
    # claiming "covered" at all (precision below the target on their training side).
    few = cross_validated(pairs[:12] + pairs[-1:], matched[:12] + matched[-1:], folds=4)
    assert few.confusion.get(("covered", "covered"), 0) == 1


LONG_GOOD = (
    "Every vendor that stores PHI signs a business associate agreement before any data moves. "
    "Access is limited to the care team with MFA and reviewed monthly by the privacy officer. "
    "An audit trail records who viewed each message, and notifications carry no clinical "
    "detail, only a prompt to sign in. We rehearse the breach process with the covered "
    "entity so the notice clock is never a surprise, and we measure reply times by clinic. "
    "That is how patient messaging stays HIPAA compliant."
)


def test_content_vector_drops_the_question_direction(engine: FeedbackEngine) -> None:
    prepared = engine.prepare_many([(LONG_GOOD, "q-msg", None)])[0]
    vector = prepared.content_vector
    assert abs(float(vector @ prepared.question.vector)) < 1e-5
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
    # The raw answer vector does share the question's direction.
    assert float(prepared.embedded.answer @ prepared.question.vector) > 0.05


def test_corpus_answers_do_not_set_flag_thresholds(
    engine: FeedbackEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Corpus answers do train the content model, whose reading adds to a flag's score; with
    # that reading weighed at zero, only the answers that set thresholds can move them.
    monkeypatch.setattr(scoring, "FLAG_READING_WEIGHT", 0.0)
    texts = [
        (LONG_GOOD, 5, frozenset()),
        # Worded to miss the hipaa-checkbox definition, so its score alone decides.
        ("Encryption at rest is our HIPAA compliance; no agreement is needed. " * 6,
         1, frozenset({"hipaa-checkbox"})),
    ]  # fmt: skip
    prepared = engine.prepare_many([(t, "q-msg", None) for t, _, _ in texts])
    graded = [Graded(p, g, f, "q-msg") for p, (_, g, f) in zip(prepared, texts, strict=True)]
    # A corpus answer whose hipaa score is high but which carries no hipaa flag: counted, it
    # would push the threshold above the flagged graded answer.
    noisy = Graded(prepared[1], 1, frozenset(), "q-other", sets_thresholds=False)
    alone = fit(graded, engine.bank.flag_ids).thresholds["hipaa-checkbox"]
    with_corpus = fit([*graded, noisy], engine.bank.flag_ids).thresholds["hipaa-checkbox"]
    counted = fit([*graded, Graded(noisy.prepared, 1, frozenset(), "q-other")],
                  engine.bank.flag_ids).thresholds["hipaa-checkbox"]  # fmt: skip
    assert with_corpus == alone
    assert counted > alone
    assert counted > with_corpus


def test_cut_points_keep_every_grade_band_open() -> None:
    rng = np.random.default_rng(3)
    grades = [int(g) for g in rng.integers(1, 6, 200)]
    # Scores that barely separate grades 3 and 4: the unconstrained search closed that band.
    pred = [g + (0.02 if g in (3, 4) else 0.0) * g + rng.normal(0, 0.6) for g in grades]
    cuts = fit_cuts(pred, grades)
    assert all(b - a >= MIN_CUT_GAP - 1e-9 for a, b in zip(cuts, cuts[1:], strict=False))


def test_cut_points_follow_the_graded_sets_when_there_are_enough() -> None:
    from healthpm.domain.feedback.fitting import MIN_SCALE_ANSWERS, _scale_answers

    # _scale_answers reads only grade and sets_thresholds
    graded = [
        SimpleNamespace(grade=1 + k % 5, sets_thresholds=True) for k in range(MIN_SCALE_ANSWERS)
    ]
    corpus = [SimpleNamespace(grade=1, sets_thresholds=False) for _ in range(100)]
    items = graded + corpus
    scores = [float(k) for k in range(len(items))]
    used, grades = _scale_answers(items, scores)  # type: ignore[arg-type]
    assert used == scores[:MIN_SCALE_ANSWERS]  # the corpus's grade-1 surplus does not move cuts
    assert grades == [g.grade for g in graded]
    few = graded[:3] + corpus
    used, _ = _scale_answers(few, scores[: len(few)])  # type: ignore[arg-type]
    assert len(used) == len(few)  # too few graded answers: every answer sets the scale


PLANTED = (
    "First, every vendor that stores PHI signs a business associate agreement, and access is "
    "limited to the care team. "
    "To learn fast, we will run a live A/B test on the alert thresholds, giving half the "
    "patients wider limits. "
    "An audit trail records who viewed each message, reviewed monthly by compliance."
)


def test_a_sentence_meeting_a_flag_definition_fires_it(engine: FeedbackEngine) -> None:
    hits = {f.id: f for f in engine.score(answer=PLANTED).flags}
    assert "unsafe-experimentation" in hits
    assert "live A/B test on the alert thresholds" in hits["unsafe-experimentation"].evidence
    mandate = "For adoption, the CMO will mandate acknowledging every alert, reported by name."
    assert "clinician-as-target" in {f.id for f in engine.score(answer=GOOD + " " + mandate).flags}


def test_a_safeguard_in_the_sentence_keeps_a_definition_from_matching(
    engine: FeedbackEngine,
) -> None:
    safe = PLANTED.replace("we will run a live A/B test", "we will run in shadow mode a test")
    analysis = engine.prepare_many([(safe, None, None)])[0].analysis
    assert not analysis.flags["unsafe-experimentation"].defined
    negated = PLANTED.replace("we will run a live", "we will never run a live")
    analysis = engine.prepare_many([(negated, None, None)])[0].analysis
    assert not analysis.flags["unsafe-experimentation"].defined


ACCURACY = (
    "Before launch I'd map who acts on each alert and how nurses triage them today. "
    "The vendor's model has an AUROC of 0.91, so performance is settled. "
    "We would pilot on two units with a rollback plan."
)


def test_an_answer_level_unless_pattern_answers_the_sentence(engine: FeedbackEngine) -> None:
    # One accuracy figure taken as proof fires accuracy-without-error-costs by definition...
    analysis = engine.prepare_many([(ACCURACY, None, None)])[0].analysis
    assert analysis.flags["accuracy-without-error-costs"].defined
    # ...unless the answer weighs misses and false alarms somewhere else.
    weighed = (
        ACCURACY + " At our threshold it would miss about one sepsis case in ten (false negatives)."
    )
    analysis = engine.prepare_many([(weighed, None, None)])[0].analysis
    assert not analysis.flags["accuracy-without-error-costs"].defined


def test_growth_and_equity_definitions_read_the_sentence_not_the_words(
    engine: FeedbackEngine,
) -> None:
    def defined(text: str, flag: str) -> bool:
        return engine.prepare_many([(text, None, None)])[0].analysis.flags[flag].defined

    base = "We'd co-design the reminder flow with the clinic's nurses and pilot it for a month. "
    assert defined(
        base + "Our north star would be daily active users in the app.", "growth-framing"
    )
    assert not defined(
        base + "Daily active users are a guardrail, never the north star.", "growth-framing"
    )
    assert not defined(base + "We stopped the streak notifications entirely.", "growth-framing")
    aggregate = base + "Overall activation reached 71%, so the program is clearly working."
    assert defined(aggregate, "equity-blind")
    stratified = aggregate + " We break activation down by language, age and payer type."
    assert not defined(stratified, "equity-blind")


def test_flag_thresholds_are_fitted_without_defined_answers(engine: FeedbackEngine) -> None:
    prepared = engine.prepare_many([(GOOD, "q-msg", None), (PLANTED, "q-msg", None)])
    assert prepared[1].analysis.flags["unsafe-experimentation"].defined
    base = [Graded(prepared[0], 4, frozenset(), "q-msg")]
    # Graded without the flag on purpose: counted, it would lift the threshold above its score.
    unlabelled = Graded(prepared[1], 4, frozenset(), "q-msg2")
    alone = fit(base, engine.bank.flag_ids).thresholds["unsafe-experimentation"]
    with_defined = fit([*base, unlabelled], engine.bank.flag_ids).thresholds[
        "unsafe-experimentation"
    ]
    assert with_defined == alone


def test_a_definition_without_patterns_is_a_content_error() -> None:
    text = exemplars_text().replace(
        "    definitions:\n      - all:", "    definitions:\n      - none:", 1
    )
    with pytest.raises(ContentError, match=r"definitions\[0\] needs an 'all' list"):
        parse_spec(text)


def test_a_cue_that_could_match_across_sentences_is_a_content_error() -> None:
    # Cues are searched over all sentences at once, one per line (features._share).
    text = exemplars_text().replace("cues:\n      - '", "cues:\n      - 'great\\s+", 1)
    with pytest.raises(ContentError, match="could match across sentences"):
        parse_spec(text)


def test_a_pattern_with_an_upper_case_letter_is_a_content_error() -> None:
    # Patterns are matched on lower-cased text, so "FDA" in a pattern could never match.
    text = exemplars_text().replace("cues:\n      - '", "cues:\n      - 'FDA ", 1)
    with pytest.raises(ContentError, match="upper-case letter"):
        parse_spec(text)


def test_flag_patterns_match_whatever_the_case_of_the_answer() -> None:
    defs = parse_spec(exemplars_text()).definitions["hipaa-checkbox"]
    sentence = "Because everything is ENCRYPTED at rest, we are HIPAA compliant."
    assert any(d.matches(sentence, sentence) for d in defs)
    assert any(d.matches(sentence.lower(), sentence.lower()) for d in defs)


def _probe_lines() -> list[str]:
    rows = [
        {"id": "p1", "flag": "unsafe-experimentation", "kind": "anti", "question": "Q?",
         "answer": PLANTED, "planted": PLANTED.split(". ")[1] + "."},
        {"id": "p2", "flag": "unsafe-experimentation", "kind": "safe", "question": "Q?",
         "answer": GOOD, "planted": ""},
    ]  # fmt: skip
    return [json.dumps(r) for r in rows]


def test_flag_probe_counts_catches_evidence_and_false_alarms(engine: FeedbackEngine) -> None:
    items = parse_probe(_probe_lines(), "probe.jsonl", engine.bank.flag_ids)
    tally = probe(engine, items).flags["unsafe-experimentation"]
    assert (tally.planted, tally.caught, tally.evidence_right, tally.by_definition) == (1, 1, 1, 1)
    assert (tally.safe, tally.false_alarms) == (1, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"flag": "made-up"}, "unknown flag 'made-up'"),
        ({"kind": "maybe"}, "'kind' must be one of anti, safe"),
        ({"planted": "A sentence that is not in the answer."}, "'planted' must be a sentence"),
        ({"answer": ""}, "'answer' must be a non-empty string"),
    ],
)
def test_flag_probe_rejects_bad_records(
    engine: FeedbackEngine, change: dict[str, str], message: str
) -> None:
    first = {**json.loads(_probe_lines()[0]), **change}
    with pytest.raises(DataFileError, match=rf"probe.jsonl:1: {re.escape(message)}"):
        parse_probe([json.dumps(first)], "probe.jsonl", engine.bank.flag_ids)
    with pytest.raises(DataFileError, match="probe.jsonl:1: not valid JSON"):
        parse_probe(["{oops"], "probe.jsonl", engine.bank.flag_ids)


def test_a_question_is_also_read_with_its_acronyms_spelled_out() -> None:
    from healthpm.domain.feedback.relevance import acronyms, judge, spell_out

    terms = ["RPM (remote physiologic monitoring)", "HIPAA", "HTI-5 (proposed)",
             "Medicare Advantage (Part C)", "BAA (business associate agreement)"]  # fmt: skip
    table = acronyms(terms)
    assert table == {
        "RPM": "remote physiologic monitoring",
        "BAA": "business associate agreement",
    }
    assert spell_out("Launch RPM? (RPM) RPMs", table) == (
        "Launch RPM (remote physiologic monitoring)? (RPM) RPMs"
    )
    rng = np.random.default_rng(1)
    prompts = rng.normal(size=(20, 16)).astype(np.float32)
    prompts /= np.linalg.norm(prompts, axis=1, keepdims=True)
    ids = [f"q{i}" for i in range(20)]
    answer = prompts[3]
    # The terse question reads as something else; spelled out, it is what the answer addresses.
    terse = judge(answer, prompts[5], "How would you launch RPM?", prompts, ids)
    both = judge(answer, prompts[5], "How would you launch RPM?", prompts, ids,
                 spelled_out=lambda: prompts[3])  # fmt: skip
    assert not terse.on_topic and both.on_topic
    still_off = judge(answer, prompts[5], "How would you launch RPM?", prompts, ids,
                      spelled_out=lambda: prompts[6])  # fmt: skip
    assert not still_off.on_topic


def test_a_matched_bank_question_s_model_answer_is_a_second_reading() -> None:
    from healthpm.domain.feedback.relevance import judge

    rng = np.random.default_rng(2)
    prompts = rng.normal(size=(20, 16)).astype(np.float32)
    prompts /= np.linalg.norm(prompts, axis=1, keepdims=True)
    models = rng.normal(size=(20, 16)).astype(np.float32)
    models /= np.linalg.norm(models, axis=1, keepdims=True)
    ids = [f"q{i}" for i in range(20)]
    question = prompts[5]
    # Reads like bank question q4's model answer and unlike the question as typed.
    answer = models[4] - 0.5 * question
    answer /= np.linalg.norm(answer)
    alone = judge(answer, question, "Postpartum BP monitoring?", prompts, ids, model_answers=models)
    assert not alone.on_topic
    matched = judge(answer, question, "Postpartum BP monitoring?", prompts, ids,
                    model_answers=models, related_id="q4")  # fmt: skip
    assert matched.on_topic
    # One-way: an answer that fits neither reading stays off topic.
    elsewhere = models[9] - 0.5 * question - 0.5 * models[4]
    elsewhere /= np.linalg.norm(elsewhere)
    other = judge(elsewhere, question, "Postpartum BP monitoring?", prompts, ids,
                  model_answers=models, related_id="q4")  # fmt: skip
    assert not other.on_topic


def test_content_model_round_trips_and_rejects_corrupt_data() -> None:
    """The kernel content model (grade and flag readings) survives calibration.json
    unchanged; damaged data is a one-line error, not a wrong score."""
    from healthpm.domain.feedback.calibration import GRADE, Calibration, ContentModel

    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 8))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    targets = {GRADE: 3 + 2 * x[:, 0], "equity-blind": (x[:, 1] > 0.3).astype(float)}
    model = ContentModel.fit(x, targets, 1.5, {GRADE: 0.1, "equity-blind": 0.3})
    back = ContentModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(back.predict_rows(x), model.predict_rows(x))
    # It learns: each reading follows the target it was fitted on.
    rows = model.predict_rows(x)
    assert spearman(list(rows[:, 0]), list(targets[GRADE])) > 0.9
    assert spearman(list(rows[:, 1]), list(targets["equity-blind"])) > 0.6
    # A vector of another width (no content sentence) is read as the zero vector.
    assert back.predict(np.zeros(3)) == pytest.approx(back.predict(np.zeros(8)))
    broken = model.to_json() | {"dual": model.to_json()["dual"][:-8]}
    with pytest.raises(ValueError):
        ContentModel.from_json(broken)
    cal = Calibration({}, {}, {}, {}, 3.0, content=model, content_weight=0.5, content_mean=3.0)
    again = Calibration.from_json(json.loads(json.dumps(cal.to_json())))
    assert again.content_points(again.reading(x[0])) == pytest.approx(
        cal.content_points(cal.reading(x[0]))
    )


def test_one_sentence_is_the_evidence_of_one_flag_only() -> None:
    # Two flags quoting the same sentence: the clearer reading keeps it (a definition match
    # first, then the larger margin over its threshold); the other is only "possible".
    from healthpm.domain.feedback.calibration import Calibration
    from healthpm.domain.feedback.features import Analysis, FlagScore

    def fired_for(flags: dict[str, FlagScore]) -> tuple[dict[str, float], dict[str, str | None]]:
        analysis = Analysis(["a", "b"], [], flags, {}, parse("a. b."), np.zeros((2, 4)))
        cal = Calibration({}, {f: 0.5 for f in flags}, {}, {}, 0.0)
        return scoring.fired_flags(analysis, cal, {})

    fired, possible = fired_for(
        {"growth-framing": FlagScore(0.7, 0), "equity-blind": FlagScore(0.55, 0)}
    )
    assert set(fired) == {"growth-framing"} and possible == {"equity-blind": "growth-framing"}
    fired, possible = fired_for(
        {"clinician-as-target": FlagScore(0.52, 1, True), "equity-blind": FlagScore(0.6, 1)}
    )
    assert set(fired) == {"clinician-as-target"}
    assert possible == {"equity-blind": "clinician-as-target"}
    # Different sentences: both fire.
    fired, _ = fired_for({"growth-framing": FlagScore(0.7, 0), "equity-blind": FlagScore(0.55, 1)})
    assert set(fired) == {"growth-framing", "equity-blind"}


def test_eval_intervals_resample_questions_and_are_reproducible() -> None:
    from healthpm.domain.feedback.metrics import intervals

    rng = np.random.default_rng(1)
    groups = [f"q{k // 8}" for k in range(96)]
    grades = [int(g) for g in rng.integers(1, 6, 96)]
    perfect = [float(g) for g in grades]
    noise = [float(v) for v in rng.normal(3, 1, 96)]
    none: list[set[str]] = [set() for _ in grades]
    exact = intervals(perfect, noise, grades, none, none, ["f"], groups, rounds=200)
    assert exact["spearman"] == pytest.approx((1.0, 1.0)) and exact["adjacent"] == (1.0, 1.0)
    low, high = exact["spearman_over_baseline"]
    assert 0 < low <= high  # a perfect ranking beats noise on every resample
    # Noise against noise: the gain over the baseline is not distinguishable from 0.
    other = [float(v) for v in rng.normal(3, 1, 96)]
    tie = intervals(noise, other, grades, none, none, ["f"], groups, rounds=200)
    assert tie["spearman_over_baseline"][0] < 0 < tie["spearman_over_baseline"][1]
    assert tie == intervals(noise, other, grades, none, none, ["f"], groups, rounds=200)
    # Resampling questions, not answers: one question's answers move together, so an engine
    # right on half the questions and wrong on the rest gets a wide interval.
    half = [float(g) if groups[k] < "q6" else 6.0 - g for k, g in enumerate(grades)]
    low, high = intervals(half, noise, grades, none, none, ["f"], groups, rounds=200)["spearman"]
    assert high - low > 0.3


def test_definitions_read_what_a_sentence_affirms() -> None:
    from healthpm.domain.feedback.bank import affirmed

    defs = parse_spec(exemplars_text()).definitions["unsafe-experimentation"]

    def fires(sentence: str) -> bool:
        return any(d.matches(sentence, sentence) for d in defs)

    # The rejected side of a contrast neither fires a flag nor clears the rest of the sentence.
    assert affirmed("Rather than a long pilot, we'd ship it.") == "we'd ship it."
    assert fires("Rather than a long silent period, I'd tune the alert threshold live.")
    assert not fires("We'd validate the alert threshold silently rather than tune it live.")
    # Variants of clinical logic compared on patients, the winner kept, in other words.
    assert fires(
        "I'd put two units on a lower alert threshold and two on a higher one and keep "
        "whichever version gets more acknowledgments."
    )
    assert fires("We'd switch off the low-severity alerts for a random half of prescribers.")
    assert fires("I'd trial a slightly looser cutoff for escalation with one cohort of members.")
    # The same wording about something that is not clinical logic, or with its safeguard.
    assert not fires("We'd try different onboarding screens and keep whichever converts better.")
    assert not fires(
        "We'd test two alert thresholds in silent mode and keep whichever misses fewer cases."
    )
    assert not fires(
        "I'd A/B test the weekly email and the tutorials, because none of those changes a "
        "clinical decision."
    )


def test_pressure_and_one_party_wordings_meet_their_definitions() -> None:
    spec = parse_spec(exemplars_text())

    def fires(flag: str, sentence: str) -> bool:
        return any(d.matches(sentence, sentence) for d in spec.definitions[flag])

    assert fires("clinician-as-target", "We'd resend the note to each prescriber until they act.")
    assert fires("clinician-as-target", "Physicians respond to peer pressure more than features.")
    assert not fires(
        "clinician-as-target",
        "The critical results banner stays until the physician acknowledges it, by design.",
    )
    assert not fires(
        "clinician-as-target", "Send stays disabled until the clinician opens the AI draft."
    )
    assert fires(
        "single-stakeholder",
        "Reimbursement is the finance team's concern, so the roadmap stays on the patient.",
    )
    assert fires(
        "single-stakeholder", "Once patients book online, the clinic will adapt its schedule."
    )
    assert not fires(
        "single-stakeholder",
        "We'd co-design the schedule with the clinic so its capacity and the patients' "
        "convenience are balanced.",
    )
    # An access figure for everyone set as the goal fires equity-blind, unless the answer asks
    # who is missing from it.
    target = "Our north star would be portal activation going from 40 to 70 percent."
    assert fires("equity-blind", target)
    assert not any(
        d.matches(target, target + " We'd break activation out by language and age.")
        for d in spec.definitions["equity-blind"]
    )
    assert not fires("equity-blind", "I'd measure success by the share of enrolled patients.")
