"""Readable labels for ids and slugs: the one mapping the web pages and the terminal share.

Pure: no web or CLI imports, so `healthpm practice ...` can print titles without FastAPI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ACRONYMS = {
    "ai": "AI",
    "ml": "ML",
    "fda": "FDA",
    "hipaa": "HIPAA",
    "ehr": "EHR",
    "samd": "SaMD",
    "ux": "UX",
    "rpm": "RPM",
    "cms": "CMS",
    "phi": "PHI",
    "api": "API",
    "pm": "PM",
}
LABELS = {
    "ai-ml-safety": "AI/ML safety",
    "privacy-security": "Privacy & security",
    "metrics": "Metrics & outcomes",
    "metrics-outcomes": "Metrics & outcomes",
    "risk_safety": "Risk & safety",
    "risk-safety": "Risk & safety",
}


def label(slug: str) -> str:
    """A readable label for an id or slug: 'ai-ml-safety' -> 'AI/ML safety'."""
    if slug in LABELS:
        return LABELS[slug]
    words = slug.replace("_", "-").split("-")
    out = [ACRONYMS.get(w, w) for w in words]
    return " ".join(out)[:1].upper() + " ".join(out)[1:]


_SLUG_IN_QUOTES = re.compile(r"'([a-z0-9]+(?:-[a-z0-9]+)+)'")
_DIMENSION = re.compile(r"\b([a-z]+_[a-z_]+)\b")


def plain(text: str) -> str:
    """Feedback lines in plain words: quoted slugs and dimension ids become labels."""
    text = _SLUG_IN_QUOTES.sub(lambda m: f"“{label(m.group(1))}”", text)
    return _DIMENSION.sub(lambda m: label(m.group(1)).lower(), text)


def flag_title(flags: Mapping[str, Any], flag_id: str) -> str:
    """A red flag's name from the knowledge base (`catalog.flags`), else its readable label."""
    meta = flags.get(flag_id)
    name = getattr(meta, "name", None)
    return name if isinstance(name, str) and name else label(flag_id)
