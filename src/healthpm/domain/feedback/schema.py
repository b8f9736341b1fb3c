"""The feedback object: what the CLI prints, the web page renders and the batch writes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DIMENSIONS = ("structure", "specificity", "data", "domain", "risk_safety", "stakeholders")


class FlagHit(BaseModel):
    """A red flag, the answer's sentence that shows it, and the better pattern."""

    model_config = ConfigDict(extra="forbid")

    id: str
    evidence: str = Field(description="the sentence from the answer that shows the flag")
    advice: str = Field(description="the better pattern, in one or two sentences")
    mistake: str | None = Field(None, description="knowledge-base mistake id (BAD/GOOD pair)")
    confidence: float | None = Field(None, ge=0, le=1)


class TalkingPoints(BaseModel):
    """Each bank talking point judged covered, partly covered, or missing (clearly absent)."""

    model_config = ConfigDict(extra="forbid")

    covered: list[str] = []
    partly: list[str] = []
    missing: list[str] = []


class Contribution(BaseModel):
    """One part of the overall, in points; the overall is exactly their sum."""

    model_config = ConfigDict(extra="forbid")

    part: str
    points: float
    label: str = ""


class ReadsAs(BaseModel):
    """The bank question an off-topic answer reads as an answer to."""

    model_config = ConfigDict(extra="forbid")

    id: str
    prompt: str


class PossibleFlag(BaseModel):
    """A red flag that came close to firing, or whose sentence another fired flag reads more
    clearly: shown for reflection, costs nothing."""

    model_config = ConfigDict(extra="forbid")

    id: str
    evidence: str
    read_as: str | None = Field(
        None, description="the fired flag this sentence is read as instead, when that is why"
    )


class MatchedQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    similarity: float


class Feedback(BaseModel):
    """Overall 1-5, six dimension scores 1-5, flags with evidence, talking points."""

    model_config = ConfigDict(extra="forbid")

    overall: float = Field(ge=1.0, le=5.0)
    on_topic: bool = True
    reads_as: ReadsAs | None = None
    basis: Literal["bank", "general"] = "general"
    dimensions: dict[str, int]
    contributions: list[Contribution] = Field(
        default=[], description="what the overall is made of; the points add up to it"
    )
    flags: list[FlagHit] = []
    possible_flags: list[PossibleFlag] = []
    talking_points: TalkingPoints = TalkingPoints()
    matched_question: MatchedQuestion | None = None
    explanation: list[str] = Field(default=[], description="why this score, what would raise it")
    phi_warning: list[str] | None = None
    rules_version: str
