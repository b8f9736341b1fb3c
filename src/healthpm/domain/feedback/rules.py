"""The shipped rules: exemplar sentences (content/feedback/exemplars.yaml), calibration.json and
the sentence detector (detector.json).

Both are read-only package data, read once per process like the knowledge base; user files
never pass through here. RULES_VERSION changes whenever exemplars, cues or calibration change,
and every Feedback carries it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from healthpm.domain import yamlio
from healthpm.domain.feedback.bank import ExemplarSpec
from healthpm.domain.feedback.calibration import Calibration
from healthpm.domain.feedback.detector import SentenceDetector, load_detector
from healthpm.errors import ContentError

RULES_VERSION = "fb-2026.12.04.5"
CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class Rules:
    spec: ExemplarSpec
    calibration: Calibration
    version: str = RULES_VERSION
    detector: SentenceDetector | None = None


def exemplars_text() -> str:
    path = resources.files("healthpm") / "content" / "feedback" / "exemplars.yaml"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError("content/feedback/exemplars.yaml: file is missing") from None


def parse_spec(text: str) -> ExemplarSpec:
    try:
        data = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        raise ContentError(f"content/feedback/exemplars.yaml: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError("content/feedback/exemplars.yaml: expected a mapping")
    return ExemplarSpec.from_dict(data)


def calibration_path() -> str:
    return str(resources.files("healthpm.domain.feedback") / CALIBRATION_FILE)


def load_calibration() -> Calibration:
    path = resources.files("healthpm.domain.feedback") / CALIBRATION_FILE
    try:
        return Calibration.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ContentError(
            "domain/feedback/calibration.json is missing; run `healthpm practice eval FILE --refit`"
        ) from None
    except (ValueError, KeyError) as exc:
        raise ContentError(f"domain/feedback/calibration.json: invalid: {exc}") from None


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped exemplars and calibration, parsed once per process."""
    return Rules(parse_spec(exemplars_text()), load_calibration(), detector=load_detector())
