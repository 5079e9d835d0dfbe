"""Bar charts of the register over time, as self-contained SVG (no script, no CDN), one bar per
month: deployments, faces seen, alerts and false alerts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from html import escape

from openlfr.domain.register import DeploymentMetrics, RegisterEntry

WIDTH, HEIGHT, MARGIN = 640, 240, 40

SERIES: dict[str, tuple[str, Callable[[DeploymentMetrics], int]]] = {
    "deployments": ("Deployments per month", lambda m: 1),
    "faces_seen": ("Faces seen per month", lambda m: m.faces_seen),
    "alerts": ("Alerts per month", lambda m: m.alerts),
    "false_alerts": ("False alerts per month", lambda m: m.false_alerts),
}


def monthly(
    entries: Sequence[RegisterEntry], value: Callable[[DeploymentMetrics], int]
) -> list[tuple[str, int]]:
    """(YYYY-MM, total) for every month from the first deployment to the last, gaps as 0."""
    totals: Counter[str] = Counter()
    for entry in entries:
        if entry.metrics.start is not None:
            totals[f"{entry.metrics.start:%Y-%m}"] += value(entry.metrics)
    if not totals:
        return []
    first, last = min(totals), max(totals)
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [(m, totals[m]) for m in months]


def bar_chart(title: str, points: Sequence[tuple[str, int]]) -> str:
    """An accessible SVG bar chart: a title, a label and a value on each bar."""
    peak = max((v for _, v in points), default=0) or 1
    slot = (WIDTH - 2 * MARGIN) / max(len(points), 1)
    plot = HEIGHT - 2 * MARGIN
    bars = []
    for i, (label, value) in enumerate(points):
        h = plot * value / peak
        x, y = MARGIN + i * slot + slot * 0.1, HEIGHT - MARGIN - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
            f'fill="#1d70b8"><title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{x + slot * 0.4:.1f}" y="{y - 4:.1f}" font-size="10" '
            f'text-anchor="middle">{value:,}</text>'
            f'<text x="{x + slot * 0.4:.1f}" y="{HEIGHT - MARGIN + 14}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<text x="{MARGIN}" y="20" font-size="14">{escape(title)}</text>'
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#505a5f"/>{"".join(bars)}</svg>'
    )


def register_charts(entries: Sequence[RegisterEntry]) -> dict[str, str]:
    """One SVG per series, keyed as in `SERIES`."""
    return {
        key: bar_chart(title, monthly(entries, value)) for key, (title, value) in SERIES.items()
    }
