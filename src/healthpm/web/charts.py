"""Server-rendered charts: Altair specs turned into SVG strings by vl-convert (no JavaScript).

Each chart function takes plain rows and a `SvgRenderer` and returns an `<svg>` string;
templates embed it inside a <figure> with a caption and a data table, so screen readers get
the numbers too. Building a spec is cheap Python; rendering it is vl-convert's JavaScript
engine, which holds the GIL for 30-60 ms. `healthpm serve` therefore renders in a worker
process (`SvgRenderer.in_worker()`), and tests and the CLI render in-process.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import altair as alt

from healthpm.web.workers import single_worker_pool, start_worker

INK = "#1f2933"
MUTED = "#52606d"
ACCENT = "#0b6e75"
TARGET = "#b7c4cf"
PALETTE = ["#0b6e75", "#7b5ea7", "#c0683d", "#3d7ac0", "#5b8c3a", "#a33d5e", "#6b6b6b"]

# A page view with the same numbers as before reuses the SVG; bounded, so memory stays small.
CHART_CACHE_SIZE = 256
RENDER_TIMEOUT_S = 60.0
#: Altair's JSON-schema check of each spec costs more than building it; the chart tests turn
#: it on (tests/web/test_charts.py), so a spec our code cannot produce validly fails there.
VALIDATE_SPECS = False


def inline_data(values: list[dict[str, Any]]) -> Any:
    """Rows embedded in the chart's spec (so the spec alone renders it)."""
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


def spec(chart: alt.TopLevelMixin) -> str:
    """The chart's Vega-Lite spec as canonical JSON text: the renderer's cache key."""
    return json.dumps(_config(chart).to_dict(validate=VALIDATE_SPECS), sort_keys=True)


def render_spec(spec_json: str) -> str:
    """Render a Vega-Lite spec (JSON text) to an SVG string with vl-convert."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(json.loads(spec_json))
    return svg


def _start_render_worker() -> None:
    start_worker()
    render_spec(spec(alt.Chart(inline_data([{"x": 1}])).mark_point().encode(x="x:Q")))  # warm up


class SvgRenderer:
    """Renders specs to SVG once each: concurrent requests for a spec share the render in
    flight, later ones reuse its result (the newest CHART_CACHE_SIZE specs are kept)."""

    def __init__(self, executor: Executor | None = None) -> None:
        self._executor = executor
        self._memo: OrderedDict[str, Future[str]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def in_worker(cls) -> SvgRenderer:
        """A renderer whose vl-convert runs in its own process, off the server's GIL."""
        return cls(single_worker_pool(_start_render_worker))

    def submit(self, spec_json: str) -> Future[str]:
        """Start rendering (or find the render already started); does not wait for it."""
        with self._lock:
            future = self._memo.get(spec_json)
            if future is not None:
                self._memo.move_to_end(spec_json)
                return future
            started = self._in_worker(spec_json)
            future = started or Future()
            self._memo[spec_json] = future
            while len(self._memo) > CHART_CACHE_SIZE:
                self._memo.popitem(last=False)
        if started is None:  # render here, outside the lock: other specs are not held up
            try:
                future.set_result(render_spec(spec_json))
            except Exception as exc:  # kept in the future, raised to every caller waiting
                future.set_exception(exc)
        future.add_done_callback(lambda done: self._forget_failed(spec_json, done))
        return future

    def render(self, spec_json: str) -> str:
        """The SVG for a spec, waiting for its render."""
        try:
            return self.submit(spec_json).result(timeout=RENDER_TIMEOUT_S)
        except BrokenProcessPool:  # the worker died: render here from now on
            self._executor = None
            return self.submit(spec_json).result()

    def warm(self) -> None:
        """Start the worker now (it loads vl-convert), so the first page does not wait."""
        if self._executor is not None:
            self._executor.submit(int).result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def _in_worker(self, spec_json: str) -> Future[str] | None:
        if self._executor is None:
            return None
        try:
            return self._executor.submit(render_spec, spec_json)
        except BrokenProcessPool:
            self._executor = None
            return None

    def _forget_failed(self, spec_json: str, done: Future[str]) -> None:
        """A failed render is not cached: the next request tries again."""
        if done.cancelled() or done.exception() is not None:
            with self._lock:
                if self._memo.get(spec_json) is done:
                    del self._memo[spec_json]


@dataclass(frozen=True)
class ReadinessRow:
    level: str
    me: float
    target: float


def readiness_chart(rows: list[ReadinessRow], *, renderer: SvgRenderer, title: str = "") -> str:
    """A bar per level (my readiness, 0-100) and one line at the ready mark; bars that reach
    it are drawn in the accent colour, the others grey, with the value at the bar's end.
    Narrow and large-lettered, so it still reads when a phone scales it down."""
    return renderer.render(_readiness_spec(tuple(rows), title))


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _readiness_spec(rows: tuple[ReadinessRow, ...], title: str) -> str:
    values = [
        {"level": r.level, "score": r.me, "order": i, "ready": r.me >= r.target}
        for i, r in enumerate(rows)
    ]
    target = rows[0].target if rows else 80
    y = alt.Y(
        "level:N",
        sort=[r.level for r in rows],  # ladder order (a sort field is lost when layered)
        title=None,
        axis=alt.Axis(labelFontSize=15, labelLimit=200),
    )
    x = alt.X(
        "score:Q",
        scale=alt.Scale(domain=[0, 100]),
        title=None,
        axis=alt.Axis(labelFontSize=13, values=[0, 20, 40, 60, 80, 100]),
    )
    base = alt.Chart(inline_data(values), width=280, height=alt.Step(32))
    bars = base.mark_bar(cornerRadiusEnd=2, height={"band": 0.7}).encode(
        y=y,
        x=x,
        color=alt.Color(
            "ready:N",
            scale=alt.Scale(domain=[True, False], range=[ACCENT, TARGET]),
            legend=None,
        ),
    )
    labels = base.mark_text(align="left", dx=4, fontSize=14, color=INK).encode(
        y=y, x=x, text="score:Q"
    )
    rule = (
        alt.Chart(inline_data([{"ready": target}]))
        .mark_rule(color=INK, strokeDash=[4, 3], strokeWidth=2)
        .encode(x="ready:Q")
    )
    layered = alt.layer(bars, labels, rule, title=title) if title else alt.layer(bars, labels, rule)
    return spec(layered)


@dataclass(frozen=True)
class BandRow:
    level: str
    order: int
    company_type: str
    low: int
    high: int | None
    label: str
    open_top: bool = False
    key: str = ""  # one row per published range: ranges are never drawn on top of each other


def salary_chart(
    rows: list[BandRow], *, renderer: SvgRenderer, title: str = "Published base-pay ranges (USD)"
) -> str:
    """One bar per published range (grouped by level, coloured by company type); a range
    whose top is open ("and above") ends in a triangle, one with no top is a triangle alone."""
    return renderer.render(_salary_spec(tuple(rows), title))


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _salary_spec(rows: tuple[BandRow, ...], title: str) -> str:
    values = [vars(r) | {"key": r.key or f"{r.level} · {r.company_type} · {r.label}"} for r in rows]
    order = [v["key"] for v in values]
    closed = [v for v in values if v["high"] is not None]
    tops = [v | {"at": v["high"] if v["high"] is not None else v["low"]} for v in values]
    tops = [v for v in tops if v["open_top"] or v["high"] is None]
    y = alt.Y("key:N", sort=order, title=None, axis=alt.Axis(labelLimit=340, labelFontSize=13))
    color = alt.Color("company_type:N", scale=alt.Scale(range=PALETTE), title="Company type")
    tooltip = ["level:N", "company_type:N", "label:N", "low:Q", "high:Q"]
    bars = (
        alt.Chart(inline_data(closed), width=300, height=alt.Step(24))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            color=color,
            tooltip=tooltip,
            x=alt.X("low:Q", title="USD per year", axis=alt.Axis(format="$~s")),
            x2="high:Q",
        )
    )
    layers: list[Any] = [bars]
    if tops:
        points = (
            alt.Chart(inline_data(tops))
            .mark_point(shape="triangle-right", filled=True, size=140, opacity=1)
            .encode(y=y, x="at:Q", color=color, tooltip=tooltip)
        )
        layers.append(points)
    return spec(alt.layer(*layers, title=title))


@dataclass(frozen=True)
class ScorePoint:
    when: date
    overall: float


TREND_TITLE = "Practice scores over time"


def score_trend_chart(
    points: list[ScorePoint], *, renderer: SvgRenderer, title: str = TREND_TITLE
) -> str:
    """Overall answer scores (1-5) in the order they were given, with a point per attempt."""
    return renderer.render(_score_trend_spec(tuple(points), title))


def prefetch_score_trend(
    points: list[ScorePoint], *, renderer: SvgRenderer, title: str = TREND_TITLE
) -> None:
    """Start rendering the trend now (after an answer is saved), so the next page has it."""
    renderer.submit(_score_trend_spec(tuple(points), title))


#: Up to this many attempts, the x axis has one tick per attempt.
TREND_TICKS = 12


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _score_trend_spec(points: tuple[ScorePoint, ...], title: str) -> str:
    # Redrawn after every answer: the points go into a spec built once, because building a
    # chart with Altair (and its schema checks) cost more of the server's time than the rest
    # of the answer's request.
    values = [
        {"n": i + 1, "day": p.when.isoformat(), "overall": p.overall} for i, p in enumerate(points)
    ]
    trend = json.loads(_score_trend_template(title))
    trend["data"] = {"values": values}
    if len(values) <= TREND_TICKS:
        # Name each attempt once: with only a few points, Vega put ticks at half steps, and
        # the integer format printed "1 2 2 3 3" (B10).
        trend["encoding"]["x"]["axis"]["values"] = [v["n"] for v in values]
    return json.dumps(trend, sort_keys=True)


@lru_cache(maxsize=8)
def _score_trend_template(title: str) -> str:
    chart = (
        alt.Chart(inline_data([]), title=title, width=520, height=200)
        .mark_line(point=True, color=ACCENT)
        .encode(
            x=alt.X("n:Q", title="Attempt", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("overall:Q", scale=alt.Scale(domain=[1, 5]), title="Overall (1-5)"),
        )
    )
    return spec(chart)
