"""Readable citations for the career articles the knowledge base was written from.

The content cites those articles by their file name (e.g. `002_84661c2ff12e38df.txt`), which
means nothing to a reader; every page shows a short description (the title, where it is short
enough to quote) instead. They have no public address we can link to.
"""

from __future__ import annotations

import re

SEED_TITLES = {
    "000_0c1a9a378b856c9f.txt": "Career guide: moving from tech PM into health tech (undated)",
    "001_be2c56113838b31f.txt": "“Navigating a PM Career in Healthcare” (career guide, undated)",
    "002_84661c2ff12e38df.txt": (
        "Article: pivoting from clinical work into health-tech product management (3 May 2025)"
    ),
    "003_a9f9558cf62d362e.txt": "Article on health-tech product manager roles (4 Feb 2025)",
    "004_85872ea76f675885.txt": "Guide to the product manager role for clinicians (undated)",
}
_SEED = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def readable_source(text: str) -> str:
    """The citation with every seed file name replaced by the article's title."""
    return _SEED.sub(lambda m: SEED_TITLES.get(m.group(0), "a career article"), text)
