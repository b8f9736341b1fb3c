"""SVG charts for the FDA workbench pages (Altair + vl-convert, like web/charts.py).

Each function takes the plain dicts that healthpm.fda.service returns and gives an `<svg>`
string; the pages show the same numbers in a table under each chart.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from healthpm.web.charts import ACCENT, MUTED, PALETTE, SvgRenderer, inline_data, spec

EVENT_TYPE_ORDER = ("Death", "Injury", "Malfunction", "Other", "No answer provided")
SOURCE_CHARS = 110


def chart_label(data: dict[str, Any]) -> str:
    """The line drawn inside a chart: SYNTHETIC (mixed or not), else the FDA source line.

    Inside the SVG, so a chart copied into a portfolio keeps its provenance."""
    synthetic = data.get("synthetic_reports", data.get("synthetic_records", 0)) or 0
    source = str(data.get("source") or "")
    if synthetic and source:
        return f"MIXED DATA: includes {synthetic} SYNTHETIC records (healthpm demo), not FDA data"
    if synthetic:
        return "SYNTHETIC DATA (healthpm demo), not FDA data"
    if len(source) > SOURCE_CHARS:
        source = source[: SOURCE_CHARS - 1].rstrip() + "…"
    return source or "Source: openFDA"


def _title(text: str, label: str) -> Any:
    if not label:
        return text
    color = "#a33d5e" if "SYNTHETIC" in label else MUTED
    return alt.TitleParams(text=text, subtitle=[label], subtitleColor=color, anchor="start")


def event_types_chart(
    by_year: list[dict[str, Any]],
    *,
    renderer: SvgRenderer,
    title: str = "Reports by year",
    label: str = "",
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
        alt.Chart(inline_data(values), title=_title(title, label), width=520, height=220)
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
    label: str = "",
) -> str:
    """Horizontal bars: reports per device-problem category, most reported first."""
    values = [
        {"category": f"{c['imdrf_code']} {c['category']}", "reports": c["reports"], "order": i}
        for i, c in enumerate(categories)
    ]
    chart = (
        alt.Chart(inline_data(values), title=_title(title, label), width=420)
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
    label: str = "",
) -> str:
    """Per decision year (n under each year): p25-p75 bar, median dot, p90 tick."""
    values = [
        {k: v for k, v in row.items() if not isinstance(v, list)}
        | {"year": f"{row['year']} (n={row['n']})"}
        for row in by_year
        if row.get("n")
    ]
    base = alt.Chart(inline_data(values)).encode(
        x=alt.X("year:O", title="Decision year", axis=alt.Axis(labelAngle=0))
    )
    spread = base.mark_bar(size=18, color="#b7dcdc").encode(
        y=alt.Y("p25:Q", title="Calendar days"), y2="p75:Q"
    )
    median = base.mark_point(filled=True, size=80, color=ACCENT).encode(y="median:Q")
    p90 = base.mark_tick(color=MUTED, thickness=2, size=22).encode(y="p90:Q")
    layers = alt.layer(spread, median, p90, title=_title(title, label), width=520, height=220)
    return renderer.render(spec(layers))


def failure_trend_chart(
    series: list[dict[str, Any]],
    *,
    renderer: SvgRenderer,
    title: str = "Reports per quarter, by IMDRF category",
    label: str = "",
) -> str:
    """One line per IMDRF level-1 category: reports received per quarter (counts)."""
    values = [
        {"quarter": p["quarter"], "category": f"{p['imdrf_code']} {p['category']}",
         "reports": p["reports"]}
        for p in series
    ]  # fmt: skip
    chart = (
        alt.Chart(inline_data(values), title=_title(title, label), width=520, height=240)
        .mark_line(point=True)
        .encode(
            x=alt.X("quarter:O", title="Quarter received", axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("reports:Q", title="Reports"),
            color=alt.Color("category:N", scale=alt.Scale(range=PALETTE), title="Category"),
        )
    )
    return renderer.render(spec(chart))
