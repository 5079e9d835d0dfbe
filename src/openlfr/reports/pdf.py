"""The cancellation report as a PDF (fpdf2, core fonts, no network): the same data and rows as
the HTML page, so the printed report and the page cannot differ."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from openlfr.domain.cancellation import CancellationReport
from openlfr.reports.cancellation import ALERT_HEADERS, alert_row, metric_rows


def _latin1(value: object) -> str:
    """Core PDF fonts are Latin-1; anything else is replaced, never dropped silently."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def heading(self, text: str) -> None:
        self.set_font("Helvetica", "B", 12)
        self.ln(2)
        self.cell(0, 8, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 8)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        with self.table(text_align="LEFT", line_height=4.5) as table:
            table.row([_latin1(h) for h in headers])
            for row in rows:
                table.row([_latin1(cell) for cell in row])


def cancellation_pdf(report: CancellationReport) -> bytes:
    pdf = _Report(orientation="landscape", format="A4")
    pdf.set_title(f"Cancellation report {report.reference}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(
        0,
        10,
        _latin1(f"Cancellation report (Form 1 Part 3): {report.reference}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 8)
    state = f"Submitted by {report.submitted_by}" if report.submitted_by else "Draft"
    pdf.paragraph(
        f"{state}; generated {report.generated_at:%Y-%m-%d %H:%M} UTC. "
        f"{report.location}; use case {report.use_case}."
    )
    a = report.authority
    pdf.heading("Authority")
    pdf.paragraph(
        f"Authorised by {a.authorised_by} at {a.authorised_at:%Y-%m-%d %H:%M}; window "
        f"{a.window_start:%Y-%m-%d %H:%M} to {a.window_end:%H:%M}; threshold {a.threshold}; "
        f"cameras {', '.join(a.cameras)}; watchlist at most {a.max_watchlist_size}; Gold {a.gold}."
    )
    pdf.heading("Timeline")
    pdf.grid(
        ["At", "Event", "By", "Detail"],
        [[f"{e.at:%Y-%m-%d %H:%M:%S}", e.kind, e.by, e.detail] for e in report.timeline],
    )
    pdf.heading("Metrics")
    pdf.grid(["Figure", "Value"], metric_rows(report.metrics))
    pdf.heading(f"Alerts ({len(report.alerts)})")
    if report.alerts:
        pdf.grid(ALERT_HEADERS, [alert_row(item) for item in report.alerts])
    else:
        pdf.paragraph("No alerts.")
    pdf.heading("Data deleted")
    pdf.grid(
        ["What", "When", "By", "Detail"], [[d.what, d.at, d.by, d.detail] for d in report.deleted]
    )
    pdf.heading("Data kept, with reasons")
    pdf.grid(
        ["What", "Reason", "Review date", "By"],
        [[k.what, k.reason, k.review_date or "-", k.by] for k in report.kept],
    )
    pdf.heading("Equitability evidence relied on")
    pdf.paragraph(report.equitability_evidence or "none recorded")
    pdf.heading("Evaluation")
    pdf.paragraph(report.evaluation or "not yet written")
    pdf.heading("Lessons")
    pdf.paragraph(report.lessons or "not yet written")
    return bytes(pdf.output())
