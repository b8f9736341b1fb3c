"""Schemas of the knowledge base. Pure Pydantic models; catalog.py loads the YAML into them."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")

#: The named 0-4 proficiency scale every rating and expectation uses.
PROFICIENCY = {
    0: "None",
    1: "Aware",
    2: "Practicing",
    3: "Proficient",
    4: "Leading",
}

#: Company types salary bands are kept apart by.
CompanyType = Literal[
    "health-tech-startup",
    "large-health-tech",
    "big-tech-health",
    "payer",
    "provider",
    "medtech",
    "any",
]

#: Canonical red-flag ids of the feedback contract (PRODUCT.md); more may be added, none renamed.
FLAG_IDS = (
    "hipaa-checkbox",
    "growth-framing",
    "unsafe-experimentation",
    "regulatory-afterthought",
    "clinician-as-target",
    "single-stakeholder",
    "accuracy-without-error-costs",
    "equity-blind",
    "keyword-stuffing",
)

#: Interview question categories (the ten of the graded sets plus general PM craft).
QuestionCategory = Literal[
    "regulatory",
    "privacy-security",
    "clinical-workflow",
    "stakeholders",
    "metrics-outcomes",
    "ai-ml-safety",
    "equity-access",
    "product-sense",
    "behavioral",
    "career-transition",
    "metrics",
    "estimation",
]


def _kebab(value: str) -> str:
    if not KEBAB.match(value):
        raise ValueError(f"{value!r} is not a kebab-case id (lowercase words joined by '-')")
    return value


def _source(value: str) -> str:
    if not value.strip():
        raise ValueError("source must name a seed file or a public reference")
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not an http or https address")
    return value


Id = Annotated[str, AfterValidator(_kebab)]
Source = Annotated[str, AfterValidator(_source)]
Url = Annotated[str, AfterValidator(_url)]
Rating = Annotated[int, Field(ge=0, le=4)]


class Entry(BaseModel):
    """Every knowledge-base entry: a stable id and where its facts come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    source: Source


class DatedEntry(Entry):
    """An entry whose facts were checked against a dated source: `as_of` is when, `urls` where."""

    as_of: date = Field(description="the date the entry was checked against its source")
    urls: list[Url] = Field([], description="public documents behind the source (http/https)")


class MonthsRange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(ge=0)
    max: int | None = Field(None, ge=0, description="None: open-ended")


class Level(Entry):
    name: str
    order: int = Field(ge=0, description="0 is the entry level; ascending")
    aliases: list[str] = []
    scope: str
    owns: list[str]
    promotion_criteria: list[str]
    typical_months_in_role: MonthsRange
    experience_years: MonthsRange | None = None


class SalaryBand(DatedEntry):
    """One published range. Bands from different sources are never averaged."""

    level: Id
    company_type: CompanyType
    low_usd: int | None = Field(None, ge=0)
    high_usd: int | None = Field(None, ge=0)
    open_top: bool = Field(False, description="the source writes the top as '+'")
    year: int = Field(ge=2000, le=2100)
    basis: str = Field(description="what the source's range covers, in our words")


class Theme(Entry):
    name: str
    description: str


class Competency(Entry):
    name: str
    theme: Id
    description: str
    expected: dict[Id, Rating] = Field(description="level id -> expected proficiency 0-4")
    must_have: list[Id] = Field(description="level ids where a gap blocks readiness")
    meets: dict[Id, str] = Field(description="level id -> what meeting the bar looks like")
    evidence_markers: list[str] = Field(min_length=1)
    resources: list[Id] = Field(min_length=1)


class BroughtCompetency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    competency: Id
    typical_rating: Rating
    translation: str = Field(description="how this background's work reads as PM evidence")


class Background(Entry):
    name: str
    kind: Literal["tech", "clinical", "science", "adjacent"]
    years_hint: str
    track: Literal["switch", "promotion"] = Field(
        description="switch: entering health tech; promotion: already in health-tech product"
    )
    description: str
    brings: list[BroughtCompetency]
    usual_gaps: list[Id]
    entry_levels: list[Id]
    entry_roles: list[str]


class Resource(Entry):
    title: str
    kind: Literal[
        "book", "course", "guide", "regulation", "standard", "practice", "community", "data"
    ]
    url: str | None = None
    hours: float = Field(gt=0, le=200)
    cost: Literal["free", "paid", "varies"] = "free"
    competencies: list[Id] = Field(min_length=1)
    summary: str


class ChecklistItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    text: str
    competency: Id | None = None


class Checklist(Entry):
    name: str
    applies_to: list[str] = Field(description="background ids, level ids or 'all'")
    items: list[ChecklistItem] = Field(min_length=1)


class TransitionStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    detail: str
    competencies: list[Id] = []


class Transition(Entry):
    name: str
    backgrounds: list[Id]
    steps: list[TransitionStep] = Field(min_length=1)


class Mistake(Entry):
    """A BAD/GOOD pair; interview feedback links to these by id."""

    title: str
    flag: str | None = Field(None, description="the feedback flag id this mistake explains")
    bad: str
    good: str
    why: str


class RegulatoryProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fda: str = Field(description="device status and likely pathway, in our words")
    pathways: list[str] = Field(description="e.g. 510(k), De Novo, PMA, enforcement discretion")
    privacy: str
    reimbursement: str
    other: list[str] = []


class Subdomain(Entry):
    name: str
    description: str
    regulatory_profile: RegulatoryProfile
    product_codes: list[str] = Field(
        default=[], description="FDA product codes (three letters) typical of the area"
    )
    competencies: list[Id] = Field(min_length=1)


class GlossaryTerm(DatedEntry):
    term: str
    definition: str
    see_also: list[Id] = []


class Question(DatedEntry):
    category: QuestionCategory
    levels: list[Id] = Field(min_length=1)
    subdomain: Id | None = None
    competencies: list[Id] = Field(min_length=1)
    prompt: str
    talking_points: list[str] = Field(min_length=4, max_length=8)
    red_flags: list[str] = []
    good_patterns: list[str] = Field(min_length=1)
    model_answer: str
    follow_ups: list[str] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _model_answer_length(self) -> Question:
        words = len(self.model_answer.split())
        if not 150 <= words <= 300:
            raise ValueError(f"model_answer has {words} words; it must have 150-300")
        return self


class Flag(Entry):
    """A red flag of the feedback contract, with the mistake that explains it."""

    name: str
    meaning: str
    mistake: Id
    advice: str
