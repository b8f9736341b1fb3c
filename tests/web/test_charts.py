"""Charts are SVG strings rendered on the server: no JavaScript needed to see them."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import pytest

from healthpm.web import charts
from healthpm.web.charts import (
    BandRow,
    ReadinessRow,
    ScorePoint,
    SvgRenderer,
    prefetch_score_trend,
    readiness_chart,
    salary_chart,
    score_trend_chart,
)

POINTS = [ScorePoint(date(2027, 1, d), 2 + d / 4) for d in range(1, 5)]


@pytest.fixture(autouse=True)
def validated_specs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every spec built here is checked against Vega-Lite's JSON schema (off in production)."""
    monkeypatch.setattr(charts, "VALIDATE_SPECS", True)
    for cached in (
        charts._readiness_spec,
        charts._salary_spec,
        charts._score_trend_spec,
        charts._score_trend_template,
    ):
        cached.cache_clear()
    yield


@pytest.fixture
def renderer() -> SvgRenderer:
    return SvgRenderer()


def _is_svg(svg: str) -> None:
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<script" not in svg


def test_readiness_chart_names_each_level(renderer: SvgRenderer) -> None:
    rows = [ReadinessRow("Associate PM", 82, 80), ReadinessRow("Senior PM", 41, 80)]
    svg = readiness_chart(rows, renderer=renderer)
    _is_svg(svg)
    assert "Associate PM" in svg and "Senior PM" in svg


def test_salary_chart_with_open_top_band(renderer: SvgRenderer) -> None:
    rows = [
        BandRow("Product Manager", 1, "Payer", 120_000, 160_000, "s, 2025"),
        BandRow("VP", 4, "Medtech", 250_000, None, "s, 2025"),
    ]
    svg = salary_chart(rows, renderer=renderer)
    _is_svg(svg)
    assert "Payer" in svg and "Medtech" in svg


def test_score_trend_chart(renderer: SvgRenderer) -> None:
    _is_svg(score_trend_chart(POINTS, renderer=renderer))


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts the renders it was given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.renders = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.renders += 1
        return super().submit(fn, *args, **kwargs)


def test_same_numbers_render_once_and_prefetch_is_reused() -> None:
    executor = CountingExecutor()
    renderer = SvgRenderer(executor)
    prefetch_score_trend(POINTS, renderer=renderer)  # as after an answer is saved
    first = score_trend_chart(POINTS, renderer=renderer)
    again = score_trend_chart(POINTS, renderer=renderer)
    assert first == again and executor.renders == 1
    score_trend_chart([*POINTS, ScorePoint(date(2027, 1, 9), 4.5)], renderer=renderer)
    assert executor.renders == 2
    renderer.close()


def test_concurrent_requests_for_one_chart_share_its_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate: Future[None] = Future()
    calls: list[str] = []

    def slow_render(spec_json: str) -> str:
        calls.append(spec_json)
        gate.result(timeout=10)
        return "<svg></svg>"

    monkeypatch.setattr(charts, "render_spec", slow_render)
    renderer = SvgRenderer(ThreadPoolExecutor(max_workers=4))
    waiting = [renderer.submit('{"a": 1}') for _ in range(5)]
    gate.set_result(None)
    assert [f.result(timeout=10) for f in waiting] == ["<svg></svg>"] * 5
    assert len(calls) == 1
    renderer.close()


def test_a_failed_render_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = iter([RuntimeError("vl-convert failed"), "<svg>ok</svg>"])

    def flaky(spec_json: str) -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(charts, "render_spec", flaky)
    renderer = SvgRenderer()
    with pytest.raises(RuntimeError):
        renderer.render("{}")
    assert renderer.render("{}") == "<svg>ok</svg>"


def test_worker_process_renders_and_a_dead_worker_falls_back_to_this_process() -> None:
    renderer = SvgRenderer.in_worker()
    try:
        renderer.warm()
        _is_svg(score_trend_chart(POINTS, renderer=renderer))
        (pid,) = renderer._executor._processes  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)
        later = [*POINTS, ScorePoint(date(2027, 1, 9), 4.5)]
        _is_svg(score_trend_chart(later, renderer=renderer))  # no error page for the user
    finally:
        renderer.close()


def test_trend_spec_carries_every_point_in_order() -> None:
    trend = json.loads(charts._score_trend_spec(tuple(POINTS), "T"))
    assert [v["overall"] for v in trend["data"]["values"]] == [p.overall for p in POINTS]
    assert [v["n"] for v in trend["data"]["values"]] == [1, 2, 3, 4]
    assert trend["mark"]["type"] == "line" and trend["title"] == "T"
