"""Server-rendered charts: Altair specs turned into SVG strings by vl-convert (no JavaScript).

Each function takes plain rows and returns an `<svg>` string; templates embed it inside a
<figure> with a caption and a data table, so screen readers get the numbers too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import altair as alt

INK = "#1f2933"
MUTED = "#52606d"
ACCENT = "#0b6e75"
TARGET = "#b7c4cf"
PALETTE = ["#0b6e75", "#7b5ea7", "#c0683d", "#3d7ac0", "#5b8c3a", "#a33d5e", "#6b6b6b"]


def _data(values: list[dict[str, Any]]) -> Any:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _config(chart: alt.TopLevelMixin) -> Any:
    return (
        chart.configure(font="DejaVu Sans, Helvetica, Arial, sans-serif", background="white")
        .configure_axis(
            labelColor=INK,
            titleColor=MUTED,
            gridColor="#e4e7eb",
            domainColor=MUTED,
            labelLimit=280,
            labelFontSize=12,
            titleFontSize=12,
        )
        .configure_legend(labelColor=INK, titleColor=MUTED, orient="bottom")
        .configure_view(stroke=None)
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render an Altair chart to an SVG string with vl-convert."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(_config(chart).to_dict())
    return svg


# Charts are pure functions of their rows, and building + rendering one costs 50-300 ms, so
# each public chart function memoizes on its (hashable, frozen) rows: a page view with the
# same numbers as before reuses the SVG. Bounded, so memory stays small.
CHART_CACHE_SIZE = 256


@dataclass(frozen=True)
class ReadinessRow:
    level: str
    me: float
    target: float


def readiness_chart(rows: list[ReadinessRow], *, title: str = "Readiness by level") -> str:
    """Grouped bars per level: my readiness (0-100) beside the target."""
    return _readiness_chart(tuple(rows), title)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _readiness_chart(rows: tuple[ReadinessRow, ...], title: str) -> str:
    values = [
        {"level": r.level, "who": who, "score": score, "order": i}
        for i, r in enumerate(rows)
        for who, score in (("You", r.me), ("Target", r.target))
    ]
    chart = (
        alt.Chart(_data(values), title=title, width=520)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("level:N", sort=alt.SortField("order"), title=None),
            yOffset=alt.YOffset("who:N", sort=["You", "Target"]),
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Readiness (0-100)"),
            color=alt.Color(
                "who:N",
                scale=alt.Scale(domain=["You", "Target"], range=[ACCENT, TARGET]),
                title=None,
            ),
        )
    )
    return to_svg(chart)


@dataclass(frozen=True)
class BandRow:
    level: str
    order: int
    company_type: str
    low: int
    high: int | None
    label: str


def salary_chart(rows: list[BandRow], *, title: str = "Published base-pay ranges (USD)") -> str:
    """Horizontal ranges per level, one colour per company type; open tops drawn as a marker."""
    return _salary_chart(tuple(rows), title)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _salary_chart(rows: tuple[BandRow, ...], title: str) -> str:
    closed = [vars(r) for r in rows if r.high is not None]
    open_top = [vars(r) for r in rows if r.high is None]
    base = alt.Chart(_data(closed), width=520).encode(
        y=alt.Y("level:N", sort=alt.SortField("order"), title=None),
        yOffset=alt.YOffset("company_type:N"),
        color=alt.Color("company_type:N", scale=alt.Scale(range=PALETTE), title="Company type"),
    )
    bars = base.mark_bar(height={"band": 0.8}).encode(
        x=alt.X("low:Q", title="USD per year", axis=alt.Axis(format="$~s")), x2="high:Q"
    )
    layers: list[Any] = [bars]
    if open_top:
        points = (
            alt.Chart(_data(open_top))
            .mark_point(shape="triangle-right", filled=True, size=90)
            .encode(
                y=alt.Y("level:N", sort=alt.SortField("order")),
                yOffset=alt.YOffset("company_type:N"),
                x="low:Q",
                color=alt.Color("company_type:N", scale=alt.Scale(range=PALETTE)),
            )
        )
        layers.append(points)
    return to_svg(alt.layer(*layers, title=title))


@dataclass(frozen=True)
class ScorePoint:
    when: date
    overall: float


def score_trend_chart(points: list[ScorePoint], *, title: str = "Practice scores over time") -> str:
    """Overall answer scores (1-5) in the order they were given, with a point per attempt."""
    return _score_trend_chart(tuple(points), title)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _score_trend_chart(points: tuple[ScorePoint, ...], title: str) -> str:
    values = [
        {"n": i + 1, "day": p.when.isoformat(), "overall": p.overall} for i, p in enumerate(points)
    ]
    chart = (
        alt.Chart(_data(values), title=title, width=520, height=200)
        .mark_line(point=True, color=ACCENT)
        .encode(
            x=alt.X("n:Q", title="Attempt", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("overall:Q", scale=alt.Scale(domain=[1, 5]), title="Overall (1-5)"),
        )
    )
    return to_svg(chart)
