"""Plain language in `assess` and `progress`: competencies and tracks by their titles."""

from __future__ import annotations

import pytest
from rich.console import Console

from healthpm.catalog import get_catalog
from healthpm.cli import app
from healthpm.cli.common import run_app
from healthpm.cli.navigator_render import render_assessment
from healthpm.config import Settings
from healthpm.demo import demo_profile, demo_profile_path
from healthpm.domain.assessment import assess
from healthpm.domain.budget import PROMOTION_TRACKS, SWITCH_TRACKS


def test_assess_names_capping_must_haves_by_title() -> None:
    catalog = get_catalog()
    for name in ("nurse-to-pm", "fintech-pm-to-pm", "senior-to-director"):
        result = assess(demo_profile(name, catalog), catalog)
        console = Console(record=True, width=400)
        render_assessment(console, result, catalog)
        text = console.export_text()
        for r in result.readiness.values():
            for cid in r.capped_by[:3]:
                assert f" {cid} " not in text and f" {cid}," not in text, cid
                assert catalog.competencies[cid].name in text


def test_progress_names_tracks_by_title(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_app(app, ["plan", str(demo_profile_path("nurse-to-pm")), "--json"]) == 0
    capsys.readouterr()
    assert run_app(app, ["progress"]) == 0
    out = capsys.readouterr().out
    words = " ".join(out.replace("│", " ").split())
    assert "Clinical" in words and "Portfolio" in words
    for track in (*SWITCH_TRACKS, *PROMOTION_TRACKS):
        assert track.split("-")[0] + "-" not in out, track  # an id, even wrapped in a cell
