"""Charts for the public register as inline SVG, drawn on the server: no script, no CDN."""

from __future__ import annotations

from html import escape

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 18, 6, 170, 560


def stacked_bars(title: str, rows: list[tuple[str, list[tuple[str, int, str]]]]) -> str:
    """One horizontal bar per row, stacked by (series, value, css class); a legend below."""
    peak = max((sum(value for _, value, _ in parts) for _, parts in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 40) / peak
    height = len(rows) * (BAR_HEIGHT + GAP) + 40
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, parts) in enumerate(rows):
        y, x = index * (BAR_HEIGHT + GAP), LABEL_WIDTH
        out.append(f'<text x="0" y="{y + 13}" class="label">{escape(label)}</text>')
        for series, value, css in parts:
            if value:
                width = value * scale
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                    f'class="{css}"><title>{escape(series)}: {value}</title></rect>'
                )
                x += width
        total = sum(value for _, value, _ in parts)
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}" class="value">{total}</text>')
    legend_y, x = height - 14, 0
    for series, _, css in rows[0][1] if rows else []:
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" class="{css}"/>')
        out.append(f'<text x="{x + 16}" y="{legend_y}" class="label">{escape(series)}</text>')
        x += 20 + 7 * len(series)
    out.append("</svg>")
    return "".join(out)
