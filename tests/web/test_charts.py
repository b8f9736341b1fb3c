"""Charts are SVG strings rendered on the server: no JavaScript needed to see them."""

from __future__ import annotations

from datetime import date

from healthpm.web.charts import (
    BandRow,
    ReadinessRow,
    ScorePoint,
    readiness_chart,
    salary_chart,
    score_trend_chart,
)


def _is_svg(svg: str) -> None:
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<script" not in svg


def test_readiness_chart_names_each_level() -> None:
    svg = readiness_chart([ReadinessRow("Associate PM", 82, 80), ReadinessRow("Senior PM", 41, 80)])
    _is_svg(svg)
    assert "Associate PM" in svg and "Senior PM" in svg


def test_salary_chart_with_open_top_band() -> None:
    rows = [
        BandRow("Product Manager", 1, "Payer", 120_000, 160_000, "s, 2025"),
        BandRow("VP", 4, "Medtech", 250_000, None, "s, 2025"),
    ]
    svg = salary_chart(rows)
    _is_svg(svg)
    assert "Payer" in svg and "Medtech" in svg


def test_score_trend_chart() -> None:
    _is_svg(score_trend_chart([ScorePoint(date(2027, 1, d), 2 + d / 4) for d in range(1, 5)]))
