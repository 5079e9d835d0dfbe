"""`openlfr report ...`: the cancellation report (Form 1 Part 3): show, print to PDF, submit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, Reference, refusals, unit_of_work
from openlfr.reports.pdf import cancellation_pdf
from openlfr.services import equitability, reports

app = typer.Typer(help="The cancellation report (Form 1 Part 3).")


@app.command("show")
@refusals
def show(ref: Reference) -> None:
    """Print the report (the submitted one, or a draft built now) as JSON."""
    typer.echo(reports.cancellation_report(unit_of_work(), ref).model_dump_json(indent=1))


@app.command("pdf")
@refusals
def pdf(ref: Reference, out: Annotated[Path, typer.Option(help="PDF file to write.")]) -> None:
    """Write the report as a PDF."""
    out.write_bytes(cancellation_pdf(reports.cancellation_report(unit_of_work(), ref)))
    typer.echo(f"{ref}: written to {out}")


@app.command("rely-on-evidence")
@refusals
def rely_on_evidence(
    ref: Reference,
    by: ActingAs,
    digest: Annotated[str, typer.Argument(help="The evidence's sha256: digest.")],
) -> None:
    """The AO or Gold records the equitability evidence the deployment relied on."""
    equitability.record_evidence_for_deployment(unit_of_work(), by, ref, digest)
    typer.echo(f"{ref}: relies on equitability evidence {digest}")


@app.command("submit")
@refusals
def submit(
    ref: Reference,
    by: ActingAs,
    evaluation: Annotated[str, typer.Option(help="Gold's evaluation.")],
    lessons: Annotated[str, typer.Option(help="Lessons learnt.")],
) -> None:
    """Gold submits the report; it is frozen and the deployment may then be published."""
    reports.submit_report(unit_of_work(), by, ref, evaluation, lessons)
    typer.echo(f"{ref}: cancellation report submitted")
