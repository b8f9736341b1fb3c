"""B10: the score-trend chart names each attempt once on its x axis."""

from __future__ import annotations

import re
from datetime import date

import pytest

from healthpm.web.charts import ScorePoint, SvgRenderer, score_trend_chart


@pytest.mark.parametrize("count", [2, 3, 5, 12, 40])
def test_x_axis_labels_do_not_repeat(count: int) -> None:
    points = [ScorePoint(date(2026, 1, 1 + i % 28), 2.0 + i % 3) for i in range(count)]
    svg = score_trend_chart(points, renderer=SvgRenderer())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    ticks = labels[: labels.index("Attempt")]
    assert len(ticks) == len(set(ticks)), ticks
    if count <= 12:
        assert ticks == [str(i) for i in range(1, count + 1)]
