"""SVG charts for the FDA workbench pages (Altair + vl-convert, like web/charts.py).

Each function takes the plain dicts that healthpm.fda.service returns and gives an `<svg>`
string; the pages show the same numbers in a table under each chart.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from healthpm.web.charts import ACCENT, MUTED, PALETTE, SvgRenderer, inline_data, spec

EVENT_TYPE_ORDER = ("Death", "Injury", "Malfunction", "Other", "No answer provided")


def event_types_chart(
    by_year: list[dict[str, Any]], *, renderer: SvgRenderer, title: str = "Reports by year"
) -> str:
    """Stacked bars: reports per year received, split by event type (counts, not rates)."""
    values = [
        {"year": str(row["year"]), "type": key, "reports": count}
        for row in by_year
        for key, count in row.items()
        if key not in ("year", "total")
    ]
    types = [t for t in EVENT_TYPE_ORDER if any(v["type"] == t for v in values)]
    types += sorted({v["type"] for v in values} - set(types))
    chart = (
        alt.Chart(inline_data(values), title=title, width=520, height=220)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year received", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("reports:Q", title="Reports", stack="zero"),
            color=alt.Color(
                "type:N", scale=alt.Scale(domain=types, range=PALETTE), title="Event type"
            ),
            order=alt.Order("type:N"),
        )
    )
    return renderer.render(spec(chart))


def problem_categories_chart(
    categories: list[dict[str, Any]],
    *,
    renderer: SvgRenderer,
    title: str = "Reports per IMDRF Annex A category",
) -> str:
    """Horizontal bars: reports per device-problem category, most reported first."""
    values = [
        {"category": f"{c['imdrf_code']} {c['category']}", "reports": c["reports"], "order": i}
        for i, c in enumerate(categories)
    ]
    chart = (
        alt.Chart(inline_data(values), title=title, width=420)
        .mark_bar(color=ACCENT, cornerRadiusEnd=2)
        .encode(
            y=alt.Y("category:N", sort=alt.SortField("order"), title=None),
            x=alt.X("reports:Q", title="Reports naming a problem in the category"),
        )
    )
    return renderer.render(spec(chart))


def clearance_times_chart(
    by_year: list[dict[str, Any]],
    *,
    renderer: SvgRenderer,
    title: str = "Days from receipt to clearance",
) -> str:
    """Per decision year: a bar from p25 to p75, a dot at the median, a tick at p90."""
    values = [{**row, "year": str(row["year"])} for row in by_year if row.get("n")]
    base = alt.Chart(inline_data(values)).encode(
        x=alt.X("year:O", title="Decision year", axis=alt.Axis(labelAngle=0))
    )
    spread = base.mark_bar(size=18, color="#b7dcdc").encode(
        y=alt.Y("p25:Q", title="Calendar days"), y2="p75:Q"
    )
    median = base.mark_point(filled=True, size=80, color=ACCENT).encode(y="median:Q")
    p90 = base.mark_tick(color=MUTED, thickness=2, size=22).encode(y="p90:Q")
    layers = alt.layer(spread, median, p90, title=title, width=520, height=220)
    return renderer.render(spec(layers))
