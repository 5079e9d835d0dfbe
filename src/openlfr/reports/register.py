"""The public register's exports and page: exactly the MPS columns, published deployments only,
with the annual summary. Pure functions of the register entries."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape

from openlfr.domain.register import REGISTER_COLUMNS, AnnualSummary, RegisterEntry, Totals
from openlfr.reports.charts import register_charts


def to_csv(entries: Sequence[RegisterEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(entry.row() for entry in entries)
    return buffer.getvalue()


def to_json(entries: Sequence[RegisterEntry]) -> str:
    return json.dumps([entry.row() for entry in entries], indent=1, ensure_ascii=False)


def _cells(values: Sequence[object], tag: str = "td") -> str:
    return "".join(f"<{tag}>{escape(str(v))}</{tag}>" for v in values)


def _totals(label: str, t: Totals) -> str:
    cells = _cells([label, t.deployments, t.faces_seen, t.alerts, t.false_alerts, t.arrests])
    return f"<tr>{cells}</tr>"


def render_summary_html(summaries: Sequence[AnnualSummary]) -> str:
    head = _cells(
        ["Year / use case", "Deployments", "Faces seen", "Alerts", "False alerts", "Arrests"], "th"
    )
    rows = []
    for summary in summaries:
        rows.append(_totals(str(summary.year), summary.total))
        rows += [
            _totals(f"{summary.year}: {case}", t) for case, t in sorted(summary.by_use_case.items())
        ]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(entries: Sequence[RegisterEntry], summaries: Sequence[AnnualSummary]) -> str:
    """The register page as an HTML fragment: the table, the annual summary and the charts
    (inline SVG; no script, no external resource)."""
    head = _cells(REGISTER_COLUMNS, "th")
    body = "".join(f"<tr>{_cells(list(e.row().values()))}</tr>" for e in entries)
    charts = "".join(f"<figure>{svg}</figure>" for svg in register_charts(entries).values())
    return (
        '<section class="register"><h2>Register of deployments</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<h3>Annual summary</h3>{render_summary_html(summaries)}"
        f"<h3>Over time</h3>{charts}</section>"
    )
