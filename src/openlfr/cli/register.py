"""`openlfr register ...`: the public register of published deployments."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from openlfr.cli._shared import unit_of_work
from openlfr.reports import register as exports
from openlfr.services import reports

app = typer.Typer(help="The public register of deployments (MPS columns).")


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("export")
def export(format: Annotated[Format, typer.Option("--format")] = Format.CSV) -> None:
    """Print the register with exactly the MPS columns, published deployments only."""
    entries = reports.register_entries(unit_of_work())
    typer.echo(
        exports.to_csv(entries) if format is Format.CSV else exports.to_json(entries), nl=False
    )


@app.command("summary")
def summary() -> None:
    """The annual summary: deployments, faces, alerts, false alerts and arrests by use case."""
    for year in reports.annual_report(unit_of_work()):
        t = year.total
        typer.echo(
            f"{year.year}: {t.deployments} deployments, {t.faces_seen} faces, "
            f"{t.alerts} alerts, {t.false_alerts} false alerts, {t.arrests} arrests"
        )
        for case, c in sorted(year.by_use_case.items()):
            typer.echo(
                f"  {case}: {c.deployments} deployments, {c.alerts} alerts, "
                f"{c.false_alerts} false alerts, {c.arrests} arrests"
            )
