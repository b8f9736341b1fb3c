"""Relevance: does the answer address the question it was submitted under?

The answer vector (mean of its sentence vectors) is compared with the question and with every
bank prompt. `fit` is how far the question stands out among the bank prompts for this answer,
in standard deviations (a z-score): an answer about the question puts it well above the
crowd, an answer to another question does not. For a bank question the same is measured
against the bank's model answers (richer than a one-line prompt) and both must agree before an
answer is called off topic. Open behavioural questions ("tell me about a time...") admit
stories from any area, so they are never called off topic on topic similarity.

The embedding model knows few health-tech acronyms: "How would you launch RPM?" sat far from
every bank prompt, and a sound RPM answer under it was called off topic. A free-text question
is therefore also judged with its glossary acronyms spelled out ("RPM (remote physiologic
monitoring)"), and called off topic only when both readings say so. That can only turn an
off-topic call into an on-topic one; none of the 796 graded and corpus answers to free-text
questions changed verdict, so the calibration did not move.

A free-text question close enough to a bank question to borrow its talking points (but not the
same question) gets the same second reading from that bank question's model answer, with the
bank threshold: "postpartum remote blood-pressure monitoring" answers never say "hypertension
RPM", and a sound one was called off topic. Also one-way; on corpus rounds 3-7 and the graded
sets it turned 2 of 255 on-topic answers to matched free-text questions back on topic, and none
of the 21 off-topic ones (none of which had been called off topic).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from healthpm.domain.feedback.bank import Matrix

#: Below this z-score among the bank prompts, an answer to a free-text question is off topic.
OFF_TOPIC_Z = 0.25
#: For a bank question: off topic when the z-score of its model answer among all model
#: answers is below BANK_MODEL_Z and the prompt's z-score below BANK_PROMPT_Z. On the graded
#: bank answers the lowest on-topic model-answer z was 1.34; 84% of answers moved to another
#: bank question fall below 1.0 (docs/feedback.md).
BANK_MODEL_Z = 1.0
BANK_PROMPT_Z = 1.5
#: ...or, below BANK_MODEL_Z, when another bank question fits clearly better than its own on both
#: its prompt and its model answer (cosine margin). A market-sizing answer for home sleep tests
#: under the ambient-scribe rollout question had a prompt z of 2.0 and was kept on topic with
#: 2.1, though it reads as the sleep-apnea question by both measures. Chosen on the graded and
#: corpus answers to bank questions: strong answers moved under one of their three nearest
#: other questions are caught 357 times of 816 instead of 288, and no answer written for its
#: question changes verdict at margins 0.1-0.2 (at 0.05 one weak one would).
OTHER_QUESTION_MARGIN = 0.1
#: How much better (cosine) another bank question must fit for the answer to "read as" it.
READS_AS_MARGIN = 0.03
#: Prompts at least this close to the asked question count as the same question.
SAME_QUESTION = 0.9
#: Highest overall an off-topic answer can get (the rubric's grade 1).
OFF_TOPIC_CAP = 1.5
_OPEN_ENDED = re.compile(
    r"\b(?:tell me about|describe a (?:time|situation)|walk me through (?:a|your)|why should we|"
    r"why (?:do|would) you want|tell us about|what is a (?:time|decision)|about yourself|"
    r"your (?:background|career|biggest|proudest))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Relevance:
    """The relevance stage's verdict."""

    on_topic: bool
    fit: float  # z-score of the asked question among the bank prompts
    reads_as: str | None = None  # bank question id the answer fits better, when off topic


_ACRONYM_TERM = re.compile(r"^([A-Z][A-Za-z0-9&/-]{1,11}) \(([^()]+)\)$")


def acronyms(terms: list[str]) -> dict[str, str]:
    """Acronym -> spelled-out form, from glossary terms written "ACRONYM (expansion)"."""
    out: dict[str, str] = {}
    for term in terms:
        m = _ACRONYM_TERM.match(term.strip())
        if m and any(c.isupper() for c in m.group(1)[1:]) and len(m.group(2).split()) > 1:
            out[m.group(1)] = m.group(2)
    return out


def spell_out(text: str, table: dict[str, str]) -> str:
    """The text with each known acronym followed by its expansion in parentheses."""
    for short, long in table.items():
        text = re.sub(rf"(?<![\w(]){re.escape(short)}(?![\w)])", f"{short} ({long})", text)
    return text


def open_ended(question: str) -> bool:
    """Behavioural and career questions, answered with a story from any area."""
    return bool(_OPEN_ENDED.search(question))


def zscore(vector: Matrix, target: Matrix, crowd: Matrix, exclude: npt.NDArray[np.bool_]) -> float:
    """How far `target` stands out among the crowd rows (excluding the near-duplicates)."""
    sims = crowd @ vector
    others = sims[~exclude] if exclude.shape[0] == sims.shape[0] else sims
    if others.size < 2:
        return 0.0
    spread = float(others.std()) or 1.0
    return (float(target @ vector) - float(others.mean())) / spread


def judge(
    answer: Matrix,
    question: Matrix,
    question_text: str,
    prompts: Matrix,
    prompt_ids: list[str],
    own_id: str | None = None,
    model_answers: Matrix | None = None,
    spelled_out: Callable[[], Matrix] | None = None,
    related_id: str | None = None,
) -> Relevance:
    """Relevance of one answer (vectors L2-normalised; empty answer -> on topic, fit 0).

    `spelled_out`: gives a free-text question's vector with its acronyms spelled out; when
    given, the answer is off topic only if it is off topic against that reading too. It is
    called only when the question as typed says off topic (encoding costs ~20 ms).
    `related_id`: the bank question a free-text question was matched to (not the same
    question); its model answer is one more reading, as for a bank question."""
    if not np.any(answer) or prompts.shape[0] < 2 or prompts.shape[1] != answer.shape[0]:
        return Relevance(True, 0.0)
    same = (prompts @ question) >= SAME_QUESTION
    fit = zscore(answer, question, prompts, same)
    sims = prompts @ answer
    model = None
    if model_answers is not None and model_answers.shape == prompts.shape:
        model = model_answers @ answer
    # The other bank question the answer fits best: prompt and model answer together. A one-line
    # prompt says little about what answers to it contain; with the model answer, strong corpus
    # answers moved under another bank question were named as their own question 146 times of
    # 164 (18 wrong), by the prompt alone 115 (49 wrong).
    best = int(np.argmax(np.where(same, -np.inf, sims if model is None else (sims + model) / 2)))
    gain = float(sims[best]) - float(question @ answer)  # how much better its prompt fits

    def model_fit(bank_id: str | None) -> float | None:
        """z-score of a bank question's model answer among all of them (None: no such)."""
        if bank_id is None or model_answers is None or bank_id not in prompt_ids:
            return None
        return zscore(answer, model_answers[prompt_ids.index(bank_id)], model_answers, same)

    own_fit = model_fit(own_id)
    if own_fit is not None and own_id is not None:
        clearly_other = (
            model is not None
            and gain >= OTHER_QUESTION_MARGIN
            and model[best] - model[prompt_ids.index(own_id)] >= OTHER_QUESTION_MARGIN
        )
        off = own_fit < BANK_MODEL_Z and (fit < BANK_PROMPT_Z or clearly_other)
    else:
        off = fit < OFF_TOPIC_Z
        if off and spelled_out is not None:
            reread = spelled_out()
            wide = (prompts @ reread) >= SAME_QUESTION
            off = zscore(answer, reread, prompts, wide) < OFF_TOPIC_Z
        related_fit = model_fit(related_id) if off else None
        if related_fit is not None:
            off = related_fit < BANK_MODEL_Z
    off = off and not open_ended(question_text)
    if not off:
        return Relevance(True, round(fit, 4))
    # It is named only when its prompt fits the answer better than the asked question's does.
    return Relevance(False, round(fit, 4), prompt_ids[best] if gain >= READS_AS_MARGIN else None)
