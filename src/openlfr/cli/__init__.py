"""The `openlfr` command: one Typer app, one sub-command group per area of the system."""

from __future__ import annotations

import typer

from openlfr import __version__
from openlfr.cli import audit, db, demo, deployment, evaluate, policy, users

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


app.add_typer(evaluate.app, name="eval")
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(policy.app, name="policy")
app.add_typer(deployment.app, name="deployment")
app.add_typer(audit.app, name="audit")
app.command("demo")(demo.demo)
