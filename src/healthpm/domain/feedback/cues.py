"""Lexical cues per sentence: quantities, signposts, stakeholders, explanations, negation.

These are deliberately small, general patterns (no answer-specific keywords). The engine
reads them only from content sentences, so a pasted list of terms adds nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM_UNIT = re.compile(
    r"(?:\b\d[\d,.]*\s?(?:%|percent|percentage points?|points?|mg/dl|mmhg|days?|weeks?|months?|"
    r"years?|hours?|minutes?|seconds?|ms|x|fold|per\b|patients?|members?|users?|visits?|sites?|"
    r"clinics?|beds?|dollars?|k\b)|\$\s?\d[\d,.]*\s?(?:k|m|million|billion)?|"
    r"\b\d+\s?(?:in|of|out of)\s\d+\b|\b\d+(?:\.\d+)?\s?(?:to|-|–)\s?\d+(?:\.\d+)?\b)",
    re.IGNORECASE,
)
_SPELLED = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|sixty|ninety|"
    r"a hundred|half|a third|two-thirds|a quarter)\s(?:to\s\w+\s)?(?:percent|days?|weeks?|"
    r"months?|years?|hours?|minutes?|business days?|quarters?|times)\b",
    re.IGNORECASE,
)
_ANY_NUM = re.compile(r"\b\d[\d,.]*\b")
_METRIC = re.compile(
    r"\b(?:rate|ratio|sensitivity|specificity|ppv|npv|predictive value|a1c|hba1c|time (?:to|in)"
    r"|per (?:member|patient|1,000|100)|cost of care|readmissions?|admissions?|mortality|"
    r"adherence|no-show|turnaround|median|mean|baseline|target|threshold|compared? (?:with|to|"
    r"against)|versus|control group|comparison group)\b",
    re.IGNORECASE,
)
_SIGNPOST = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|fifth|then|next|finally|last(?:ly)?|"
    r"after that|before (?:launch|go-live|that)|in parallel|meanwhile|step \w+|phase \w+|tier "
    r"\w+|horizon \w+|one|two|three|four|throughout|overall|so|to start|start with|"
    r"[a-z][a-z -]{2,30}:)",
    re.IGNORECASE,
)
_FRAME = re.compile(
    r"\b(?:(?:two|three|four|five|six) (?:things|layers|tracks|clocks|steps|tiers|phases|parts|"
    r"buckets|questions|mechanisms|pieces|reasons)|in (?:the|this) order|roughly in order)\b",
    re.IGNORECASE,
)
_EXPLAIN = re.compile(
    r"\b(?:because|so that|so\b|which means|which|means|since|therefore|otherwise|if\b|unless|"
    r"when\b|requires?|in order to|so we|that way|to (?:make|keep|avoid|catch|show|prove|"
    r"protect|reduce|cut|see|count))\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|don't|won't|wouldn't|can't|cannot|shouldn't|isn't|aren't|nor|"
    r"rather than|instead of|avoid|without)\b",
    re.IGNORECASE,
)
_SPECIFIC = re.compile(
    r"\b(?:[A-Z]{2,}[a-z]?\d*|[A-Z][a-z]+[A-Z]\w*|\d{3,5}[a-z]?|\d+\([a-z]\)|[A-Z]+-\d+|"
    r"(?:ISO|IEC|CFR|CPT|HEDIS|FHIR|HL7)\s?\d[\d.]*)\b"
)
_STORY_SITUATION = re.compile(
    r"\b(?:at my (?:last|previous)|when i (?:was|ran|led|owned)|i (?:led|owned|ran|was|built|"
    r"shipped|worked)|we (?:once|had)|in my (?:last|previous))\b",
    re.IGNORECASE,
)
_STORY_RESULT = re.compile(
    r"\b(?:dropped|fell|rose|went from|cut|reduced|improved|grew|closed|cleared|launched|"
    r"result|outcome|we shipped|it took|lesson|learned|i'd (?:do|have)|looking back)\b",
    re.IGNORECASE,
)

#: Stakeholder groups and the words that name them.
STAKEHOLDERS: dict[str, re.Pattern[str]] = {
    "patient": re.compile(
        r"\b(?:patients?|members?|caregivers?|families|family|consumers?|people)\b", re.I
    ),
    "clinician": re.compile(
        r"\b(?:clinicians?|nurses?|nursing|physicians?|doctors?|therapists?|pharmacists?|"
        r"pharmacy|care teams?|providers?|medical assistants?|cmio|informatic\w*|ophthalmolog\w*"
        r"|rooming|front-desk|staff)\b",
        re.I,
    ),
    "payer": re.compile(
        r"\b(?:payers?|insurers?|health plans?|plans?|medicare|medicaid|cms|employers?|"
        r"reimburs\w*|billable|billing|bill|coinsurance|cpt)\b",
        re.I,
    ),
    "regulator": re.compile(
        r"\b(?:fda|regulators?|regulatory|compliance|privacy officer|counsel|legal|ocr|irb|"
        r"committee|governance)\b",
        re.I,
    ),
    "organisation": re.compile(
        r"\b(?:health systems?|hospitals?|practices?|clinics?|it teams?|security review|"
        r"leadership|sales|ceo|cmo|buyers?|customers?|analysts?)\b",
        re.I,
    ),
}
_INCENTIVE = re.compile(
    r"\b(?:cares?|wants?|needs?|worr\w+|cost\w*|pay\w*|margin|burden|workload|time|minutes|"
    r"revenue|risk|incentive|gain|lose|trust|owe|budget)\b",
    re.I,
)


@dataclass(frozen=True)
class Cues:
    """Lexical counts of one sentence."""

    quantities: int
    numbers: int
    metrics: int
    signpost: bool
    frame: bool
    explains: bool
    negated: bool
    specific: int
    stakeholders: frozenset[str]
    incentive: bool
    story_situation: bool
    story_result: bool


def cues(text: str) -> Cues:
    """Count the lexical cues of one content sentence."""
    groups = frozenset(name for name, pattern in STAKEHOLDERS.items() if pattern.search(text))
    return Cues(
        quantities=len(_NUM_UNIT.findall(text)) + len(_SPELLED.findall(text)),
        numbers=len(_ANY_NUM.findall(text)),
        metrics=len(_METRIC.findall(text)),
        signpost=bool(_SIGNPOST.match(text.strip())),
        frame=bool(_FRAME.search(text)),
        explains=bool(_EXPLAIN.search(text)),
        negated=bool(_NEGATION.search(text)),
        specific=len(_SPECIFIC.findall(text)),
        stakeholders=groups,
        incentive=bool(groups) and bool(_INCENTIVE.search(text)),
        story_situation=bool(_STORY_SITUATION.search(text)),
        story_result=bool(_STORY_RESULT.search(text)),
    )
