"""A horizontal bar chart of the annual cost of each stage, as accessible inline SVG.

Built on the shared chart pieces (drugatlas/maps/charts.py: palette, ticks, the Chart and
Table types); that module draws bars by year, this one by category. A stage that costs
nothing is drawn as a labelled zero, never left out, so the reader sees it was counted.
"""
from __future__ import annotations

from html import escape
from typing import Callable

from drugatlas.maps.charts import GRID, INK, MUTED, PALETTE, Chart, Table, nice_ticks


def category_bars(prefix: str, title: str, desc: str, rows: list[tuple[str, float]],
                  value_text: Callable[[float], str], table: Table, width: int = 640,
                  bar_height: int = 22, gap: int = 10, label_width: int = 190) -> Chart:
    """One bar per (label, value); `table` is the same numbers as a table for its twin."""
    if not rows:
        return Chart("", table)
    top = nice_ticks(max(v for _, v in rows) or 1.0)
    left, right, axis_top = label_width, width - 90, 24
    height = axis_top + len(rows) * (bar_height + gap) + 8

    def x(value: float) -> float:
        return left + value / top[-1] * (right - left)

    out = [
        f'<svg class="chart" id="{prefix}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        '<g class="axis" aria-hidden="true">',
    ]
    for tick in top:
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_top - 4}" y2="{height - 8}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{tx:.1f}" y="{axis_top - 8}" text-anchor="middle" '
                   f'fill="{MUTED}">{escape(value_text(tick))}</text>')
    out.append('</g>')
    for n, (label, value) in enumerate(rows):
        y = axis_top + n * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        out.append(f'<g class="bar"><title>{escape(label)}: {escape(value_text(value))}</title>')
        out.append(f'<text x="{left - 8}" y="{middle:.1f}" text-anchor="end" fill="{INK}">'
                   f'{escape(label)}</text>')
        if value > 0:
            out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, x(value) - left):.1f}" '
                       f'height="{bar_height}" fill="{PALETTE[0]}"/>')
        out.append(f'<text x="{max(x(value), left) + 6:.1f}" y="{middle:.1f}" fill="{INK}">'
                   f'{escape(value_text(value))}</text></g>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{axis_top - 4}" y2="{height - 8}" '
               f'stroke="{INK}" aria-hidden="true"/>')
    out.append('</svg>')
    return Chart("\n".join(out), table)
