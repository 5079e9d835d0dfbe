"""The cancellation report (Form 1 Part 3, `domain.cancellation`) as an HTML fragment and as
rows of text. The web console renders `render_html`; `pdf.py` prints the same rows."""

from __future__ import annotations

from datetime import datetime
from html import escape

from openlfr.domain.cancellation import CancellationReport, ReportedAlert
from openlfr.domain.register import DeploymentMetrics


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "not recorded"


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def alert_row(item: ReportedAlert) -> list[object]:
    """One alert as a row of text (shared by the HTML page and the PDF)."""
    a = item.alert
    verdict = a.verdict.value.replace("_", " ") if a.verdict else "not adjudicated"
    confirmed = "confirmed" if a.confirmed else "unconfirmed"
    outcome = a.outcome.value.replace("_", " ") if a.outcome else "-"
    return [
        a.alert_id[:8],
        _when(a.raised_at),
        a.camera,
        a.subject,
        f"{a.score:.3f}",
        verdict,
        confirmed,
        outcome,
        item.status,
    ]


ALERT_HEADERS = [
    "Alert",
    "Raised",
    "Camera",
    "Watchlist ref",
    "Score",
    "Verdict",
    "Identity",
    "Outcome",
    "Data",
]


def metric_rows(m: DeploymentMetrics) -> list[list[object]]:
    """The register's figures as label/value rows (shared by the HTML page and the PDF)."""
    rate = m.false_alert_rate
    return [
        ["Faces seen", m.faces_seen],
        ["Total alerts", m.alerts],
        ["True alerts (confirmed / unconfirmed)", f"{m.true_confirmed} / {m.true_unconfirmed}"],
        ["False alerts (confirmed / unconfirmed)", f"{m.false_confirmed} / {m.false_unconfirmed}"],
        ["Not yet adjudicated", m.unadjudicated],
        ["False alert rate (per face seen)", "n/a" if rate is None else f"{rate:.6f}"],
        *[[f"Outcome: {o.value.replace('_', ' ')}", n] for o, n in m.outcomes.items()],
        ["Watchlist size", m.watchlist_size],
        ["Threshold", m.threshold],
        ["Use case", m.use_case],
        ["Duration", str(m.duration) if m.duration else "not recorded"],
    ]


def render_html(report: CancellationReport) -> str:
    """An HTML fragment (no scripts, no external resources) for the console to place in a page."""
    a = report.authority
    status = (
        f"Submitted by {escape(report.submitted_by)}" if report.submitted_by else "Draft"
    ) + f", generated {_when(report.generated_at)}"
    parts = [
        f'<section class="cancellation-report"><h2>Cancellation report: '
        f"{escape(report.reference)}</h2><p>{status}</p>",
        f"<p>{escape(report.location)}; use case {escape(report.use_case)}</p>",
        "<h3>Authority</h3>",
        _table(
            ["Authorised by", "At", "Window", "Threshold", "Cameras", "Max watchlist", "Gold"],
            [
                [
                    a.authorised_by,
                    _when(a.authorised_at),
                    f"{_when(a.window_start)} to {_when(a.window_end)}",
                    a.threshold,
                    ", ".join(a.cameras),
                    a.max_watchlist_size,
                    a.gold,
                ]
            ],
        ),
        f"<p>Actual start {_when(report.actual_start)}; actual end {_when(report.actual_end)}</p>",
        "<h3>Timeline</h3>",
        _table(
            ["At", "Event", "By", "Detail"],
            [[_when(e.at), e.kind, e.by, e.detail] for e in report.timeline],
        ),
        "<h3>Cameras</h3>",
        _table(
            ["Camera", "Faces seen", "Frames", "Dropped", "Reconnects", "Alerts"],
            [
                [
                    c.camera,
                    c.faces_seen,
                    c.frames_processed,
                    c.frames_dropped,
                    c.reconnects,
                    c.alerts,
                ]
                for c in report.cameras
            ],
        ),
        "<h3>Metrics</h3>",
        _table(["Figure", "Value"], metric_rows(report.metrics)),
        "<h3>Alerts</h3>",
        _table(ALERT_HEADERS, [alert_row(item) for item in report.alerts]),
        "<h3>Data deleted</h3>",
        _table(
            ["What", "When", "By", "Detail"],
            [[d.what, d.at, d.by, d.detail] for d in report.deleted],
        ),
        "<h3>Data kept, with reasons</h3>",
        _table(
            ["What", "Reason", "Review date", "By"],
            [[k.what, k.reason, k.review_date or "-", k.by] for k in report.kept],
        ),
        "<h3>Equitability evidence relied on</h3>",
        f"<p>{escape(report.equitability_evidence or 'none recorded')}</p>",
        "<h3>Evaluation</h3>",
        f"<p>{escape(report.evaluation or 'not yet written')}</p>",
        "<h3>Lessons</h3>",
        f"<p>{escape(report.lessons or 'not yet written')}</p>",
        "</section>",
    ]
    return "\n".join(parts)
