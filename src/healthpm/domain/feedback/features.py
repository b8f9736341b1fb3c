"""From an answer's sentences and their embeddings to flag scores and a few general features.

Everything is read from *content* sentences only (term lists and bare fragments are removed by
text.parse), which is what makes "append a list of domain terms" unable to raise a score.

Flag score (per flag f), documented in docs/feedback.md:
    bad_f   = max over sentences of (the cosine to f's nearest `bad` exemplar
              + DETECTOR_WEIGHT * the sentence detector's probability of f, detector.py),
              where a sentence that negates or contrasts ("we would never ...") and sits at
              least as close to a `good` exemplar contributes nothing
    score_f = bad_f + CUE_WEIGHT * (share of f's cue patterns shown)
                    - CUE_WEIGHT * (share of f's counter patterns shown)
A flag fires when score_f reaches its fitted threshold (calibration.json), or when a content
sentence meets one of the flag's written definitions (exemplars.yaml `definitions`: "we will
A/B test the alert thresholds live", "the CMO will mandate it"); that sentence is then the
evidence. The exemplar similarity misses such sentences when a writer's wording is far from
the exemplars, and cue counts are outweighed by the safeguards a polished answer names
elsewhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from healthpm.domain.feedback.bank import Definition, ExemplarBank, Matrix, affirmed
from healthpm.domain.feedback.cues import Cues, cues
from healthpm.domain.feedback.text import Parsed

CUE_WEIGHT = 0.3
NEGATION_MARGIN = 0.03
#: Subtracted from a flag score when the answer lacks what the flag is about at all.
MISSING_REQUIREMENT = 0.5
#: Added when the answer is about the flag's subject and shows none of its counter mechanisms.
DEFINITION_BONUS = 0.1
#: Weight of the sentence detector's probability in a sentence's flag score: the same as the
#: whole-answer flag reading's (calibration.FLAG_READING_WEIGHT), set before any evaluation.
DETECTOR_WEIGHT = 0.25
STUFFING = "keyword-stuffing"


@dataclass(frozen=True)
class FlagScore:
    score: float
    evidence: int  # index into Analysis.sentences (content sentences)
    #: the evidence sentence meets one of the flag's definitions: the flag fires whatever
    #: the score (and its threshold is fitted without such answers: fitting.fit)
    defined: bool = False


@dataclass(frozen=True)
class Analysis:
    """What the engine knows about one answer before calibration."""

    sentences: list[str]
    cues: list[Cues]
    flags: dict[str, FlagScore]
    raw: dict[str, float]
    parsed: Parsed
    embeddings: Matrix


def _share(patterns: list[re.Pattern[str]], texts: list[str]) -> float:
    """Share of the patterns found in some sentence. The sentences are searched as one text,
    one per line: a cue matches within a sentence (no cue pattern crosses a line break)."""
    if not patterns:
        return 0.0
    joined = "\n".join(texts)
    return sum(1 for p in patterns if p.search(joined)) / len(patterns)


def _eligible(pattern: re.Pattern[str] | None, texts: list[str]) -> np.ndarray:
    """Sentences that are about the flag's subject (or follow one that is)."""
    if pattern is None:
        return np.ones(len(texts), dtype=bool)
    own = np.array([bool(pattern.search(t)) for t in texts], dtype=bool)
    return own | np.concatenate(([False], own[:-1]))


def _definition(bank: ExemplarBank, flag_id: str, whole: str, counter: float) -> float:
    """The flag's definition as a mechanism check: what it is about present, and none of the
    mechanisms whose absence defines it -> +DEFINITION_BONUS; subject absent -> a penalty."""
    required = bank.spec.requires.get(flag_id)
    if required is None:
        return 0.0
    if not required.search(whole):
        return -MISSING_REQUIREMENT
    return DEFINITION_BONUS if counter == 0 and bank.spec.counter_cues[flag_id] else 0.0


def _defined(
    definitions: list[Definition], texts: list[str], whole: str, said: list[str]
) -> int | None:
    """The first content sentence that meets one of the definitions, if any (`said`: what
    each sentence affirms, bank.affirmed)."""
    for k, text in enumerate(texts):
        if any(d.matches(text, whole, said[k]) for d in definitions):
            return k
    return None


def flag_scores(
    bank: ExemplarBank,
    sims: Matrix,
    texts: list[str],
    negated: np.ndarray,
    detected: dict[str, Matrix] | None = None,
) -> dict[str, FlagScore]:
    """Score every flag; see the module docstring for the formula. `detected`: the sentence
    detector's probability per sentence, by flag (detector.py)."""
    out: dict[str, FlagScore] = {}
    texts = [t.lower() for t in texts]  # every flag pattern is matched on lower-cased text
    whole = " ".join(texts)
    said = [affirmed(t) for t in texts]
    for flag_id in bank.flag_ids:
        bad = bank.top_mean(sims, f"bad:{flag_id}", k=1)
        if detected is not None and flag_id in detected:
            bad = bad + DETECTOR_WEIGHT * detected[flag_id]
        good = bank.top_mean(sims, f"good:{flag_id}", k=1)
        suppressed = negated & (good >= bad - NEGATION_MARGIN) & (good > 0)
        suppressed |= ~_eligible(bank.spec.subject.get(flag_id), texts)
        effective = np.where(suppressed, 0.0, bad)
        kept = [t for t, s in zip(texts, suppressed, strict=True) if not s]
        cue = _share(list(bank.spec.cues[flag_id]), kept)
        counter = _share(list(bank.spec.counter_cues[flag_id]), texts)
        best = int(np.argmax(effective))
        score = float(effective[best]) + CUE_WEIGHT * (cue - counter)
        score += _definition(bank, flag_id, whole, counter)
        defined = _defined(bank.spec.definitions.get(flag_id, []), texts, whole, said)
        if defined is not None:
            out[flag_id] = FlagScore(round(score, 6), defined, True)
        else:
            out[flag_id] = FlagScore(round(score, 6), best)
    return out


def _stuffing_extra(parsed: Parsed, sentence_cues: list[Cues]) -> float:
    """Lexical side of keyword stuffing: pasted term lists, and specific terms left unexplained."""
    listed = min(parsed.list_terms, 12) / 12
    unexplained = sum(c.specific for c in sentence_cues if not c.explains)
    density = unexplained / max(parsed.content_words, 1)
    return 0.5 * listed + min(density * 4, 0.5)


def raw_features(
    bank: ExemplarBank, sims: Matrix, parsed: Parsed, sentence_cues: list[Cues]
) -> dict[str, float]:
    """General features of the answer; names are documented in docs/feedback.md."""
    n = max(len(sentence_cues), 1)
    substance = bank.top_mean(sims, "substance", k=2) - bank.top_mean(sims, "generic", k=2)
    top = np.sort(substance)[-3:] if substance.size else np.zeros(1)
    good = [bank.top_mean(sims, f"good:{f}", k=1) for f in bank.flag_ids if f != STUFFING]
    good_cover = float(np.mean([g.max() if g.size else 0.0 for g in good])) if good else 0.0
    groups = set().union(*(c.stakeholders for c in sentence_cues)) if sentence_cues else set()
    incentives = (
        set().union(*(c.stakeholders for c in sentence_cues if c.incentive))
        if (sentence_cues)
        else set()
    )
    structure = sum(c.signpost or c.frame for c in sentence_cues) / n
    content = parsed.content
    bullets = sum(s.bullet for s in content)
    return {
        "substance": float(top.mean()),
        "generic_share": float((substance < 0).mean()) if substance.size else 1.0,
        "quantities": math.log1p(sum(c.quantities for c in sentence_cues)),
        "metrics": math.log1p(sum(c.metrics for c in sentence_cues)),
        "specific": sum(c.specific for c in sentence_cues if c.explains) / n,
        "stakeholders": float(len(groups)),
        "incentives": float(len(incentives)),
        "structure": structure + min(bullets, 6) / 12 + min(parsed.paragraphs - 1, 5) / 10,
        "explains": sum(c.explains for c in sentence_cues) / n,
        "log_words": math.log(max(parsed.content_words, 10)),
        "good_cover": good_cover,
        "story": float(
            any(c.story_situation for c in sentence_cues)
            and any(c.story_result for c in sentence_cues)
        ),
        "stuffing_lex": _stuffing_extra(parsed, sentence_cues),
    }


def analyse(bank: ExemplarBank, parsed: Parsed, embeddings: Matrix) -> Analysis:
    """Similarities to every exemplar in one product, then flags and features."""
    texts = [s.text for s in parsed.content]
    sentence_cues = [cues(t) for t in texts]
    if not texts:
        sims = np.zeros((0, bank.matrix.shape[0]), dtype=np.float32)
        flags = {f: FlagScore(0.0, -1) for f in bank.flag_ids}
    else:
        sims = embeddings @ bank.matrix.T
        negated = np.array([c.negated for c in sentence_cues], dtype=bool)
        detected = bank.detector.probabilities(embeddings) if bank.detector else None
        flags = flag_scores(bank, sims, texts, negated, detected)
    raw = raw_features(bank, sims, parsed, sentence_cues)
    if STUFFING in flags:
        base = flags[STUFFING]
        flags[STUFFING] = FlagScore(
            round(base.score + raw["stuffing_lex"], 6), base.evidence, base.defined
        )
    return Analysis(texts, sentence_cues, flags, raw, parsed, embeddings)
