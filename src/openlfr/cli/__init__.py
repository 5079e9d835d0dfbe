"""The `openlfr` command: one Typer app, one sub-command group per area of the system."""

from __future__ import annotations

import typer

from openlfr import __version__

app = typer.Typer(
    name="openlfr",
    help="OpenLFR: lawful, overt live facial recognition.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command()
def version() -> None:
    """Print the OpenLFR version."""
    typer.echo(__version__)
