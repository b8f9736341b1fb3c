"""Plain language in the terminal: people read titles, never dimension ids or flag slugs.

The --json output is the contract for tools and keeps the ids.
"""

from __future__ import annotations

import json
import re

from rich.console import Console

from healthpm.catalog import Catalog
from healthpm.cli.practice_render import render_mock_report
from healthpm.domain.feedback.schema import DIMENSIONS

from .conftest import Runner

#: an id a person should never have to read: `risk_safety`, or a flag slug
ID_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
SLUGS = ("growth-framing", "clinical-workflow", "privacy-security", "metrics-outcomes")


def _assert_plain(text: str) -> None:
    assert not ID_LIKE.findall(text), ID_LIKE.findall(text)
    for slug in SLUGS:
        assert slug not in text, slug


def test_score_history_and_show_print_titles_not_ids(run_cli: Runner) -> None:
    scored = run_cli(
        "practice",
        "score",
        "--question",
        "How do you cut EHR alerts?",
        "-",
        stdin="We will go viral. [score 2.5]",
    )
    assert scored.code == 0, scored.err
    _assert_plain(scored.out)
    assert "Risk & safety" in scored.out and "red flag: Growth framing" in scored.out
    history = run_cli("practice", "history")
    _assert_plain(history.out)
    assert "How do you cut EHR alerts?" in history.out
    shown = run_cli("practice", "show", "1")
    _assert_plain(shown.out)
    assert "Growth framing" in shown.out


def test_json_output_keeps_the_ids(run_cli: Runner) -> None:
    out = run_cli(
        "practice", "score", "--question-id", "ehr-alerts", "-", "--json", stdin="go viral"
    ).out
    data = json.loads(out)
    assert set(data["dimensions"]) == set(DIMENSIONS) and "risk_safety" in data["dimensions"]
    assert data["flags"][0]["id"] == "growth-framing"


def test_next_names_categories_in_words(run_cli: Runner) -> None:
    out = run_cli("practice", "next", "--limit", "6").out
    _assert_plain(out.replace("ehr-alerts", "").replace("baa-vendor", ""))
    assert "Privacy & security" in out and "Metrics & outcomes" in out


def test_mock_report_names_dimensions_and_flags(catalog: Catalog) -> None:
    console = Console(record=True, width=200)
    report = {
        "answered": 2,
        "asked": 2,
        "overall": 2.0,
        "dimensions": {d: 2.0 for d in DIMENSIONS},
        "weakest_dimension": "risk_safety",
        "repeat": [],
        "flags": {"growth-framing": 2},
    }
    render_mock_report(console, report, {}, catalog.flags)
    text = console.export_text()
    _assert_plain(text)
    assert "Risk & safety" in text and "Growth framing ×2" in text
