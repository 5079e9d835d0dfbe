"""`openlfr audit ...`: prove the audit chain intact, and read it."""

from __future__ import annotations

import json

import typer

from openlfr.cli._shared import unit_of_work
from openlfr.services.audit import audit_history, verify_chain

app = typer.Typer(help="The hash-chained audit log.")


@app.command("verify")
def verify() -> None:
    """Recompute every hash; exit 1 and name the first broken record if the chain is not intact."""
    result = verify_chain(unit_of_work())
    if result.ok:
        typer.echo(f"audit chain intact: {result.records} records")
        return
    typer.echo(f"audit chain BROKEN at record {result.first_broken}: {result.problem}", err=True)
    raise typer.Exit(1)


@app.command("log")
def log(entity_id: str | None = None, as_json: bool = typer.Option(False, "--json")) -> None:
    """Print the audit records (about one entity if given), oldest first."""
    for entry in audit_history(unit_of_work(), entity_id=entity_id):
        if as_json:
            typer.echo(json.dumps(entry.__dict__, sort_keys=True))
        else:
            line = f"{entry.seq}\t{entry.at}\t{entry.actor} ({entry.role})\t{entry.action}"
            typer.echo(f"{line}\t{entry.entity_type}:{entry.entity_id}")
