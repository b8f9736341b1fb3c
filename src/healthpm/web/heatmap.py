"""The cohort heat map: candidates x rubric dimensions, as a small self-contained SVG.

Drawn by hand rather than by the chart worker: it is a grid of labelled squares, and it must
stay legible on a phone, so the text is large and every cell carries its number (colour is
never the only signal).
"""

from __future__ import annotations

from markupsafe import escape

from healthpm.domain.feedback.schema import DIMENSIONS

SHORT = {
    "structure": "Struct.",
    "specificity": "Specif.",
    "data": "Data",
    "domain": "Domain",
    "risk_safety": "Risk",
    "stakeholders": "Stake.",
}
NAME_W, CELL_W, CELL_H, HEAD_H = 104, 50, 36, 40
# Low scores warm, high scores teal; text colour picked for contrast on each.
_FILLS = ((2.0, "#c2410c", "#fff"), (2.75, "#fdba74", "#111"), (3.5, "#ccfbf1", "#111"))
_HIGH = ("#0f766e", "#fff")


def _fill(value: float) -> tuple[str, str]:
    for upper, fill, ink in _FILLS:
        if value < upper:
            return fill, ink
    return _HIGH


def heatmap_svg(candidates: list[tuple[int, str]], heat: dict[int, dict[str, float]]) -> str:
    """SVG markup; the caller passes it through the `svg` filter."""
    width = NAME_W + CELL_W * len(DIMENSIONS)
    height = HEAD_H + CELL_H * len(candidates)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width * 1.4:.0f}px" role="img" '
        'aria-labelledby="heat-title" font-family="system-ui, sans-serif" font-size="15">',
        '<title id="heat-title">Mean score per rubric dimension (1 to 5), one row per '
        "candidate</title>",
    ]
    for j, dim in enumerate(DIMENSIONS):
        x = NAME_W + CELL_W * j + CELL_W / 2
        parts.append(
            f'<text x="{x:.0f}" y="{HEAD_H - 12}" text-anchor="middle" font-weight="600" '
            'font-size="12">'
            f"{SHORT[dim]}</text>"
        )
    for i, (uid, label) in enumerate(candidates):
        y = HEAD_H + CELL_H * i
        name = escape(label if len(label) <= 12 else label[:11] + "…")
        parts.append(
            f'<text x="4" y="{y + CELL_H / 2 + 5:.0f}"><title>{escape(label)}</title>{name}</text>'
        )
        for j, dim in enumerate(DIMENSIONS):
            x = NAME_W + CELL_W * j
            value = heat.get(uid, {}).get(dim)
            fill, ink = _fill(value) if value is not None else ("#f3f4f6", "#111")
            shown = "–" if value is None else f"{value:.1f}"
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                f'rx="3" fill="{fill}"/>'
                f'<text x="{x + CELL_W / 2:.0f}" y="{y + CELL_H / 2 + 5:.0f}" '
                f'text-anchor="middle" fill="{ink}">{shown}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
