"""The `openlfr` command: one Typer app, one sub-command group per area of the system."""

from __future__ import annotations

import typer

from openlfr import __version__
from openlfr.cli import (
    audit,
    db,
    demo,
    deployment,
    evaluate,
    live,
    policy,
    register,
    report,
    retention,
    serve,
    users,
)
from openlfr.cli import distributed as distributed_cli
from openlfr.cli import watchlist as watchlist_cli

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
app.add_typer(live.app, name="live")
app.add_typer(live.simulate_app, name="simulate")
app.add_typer(watchlist_cli.app, name="watchlist")
app.command("demo")(demo.demo)
app.add_typer(report.app, name="report")
app.add_typer(register.app, name="register")
app.add_typer(retention.app, name="retention")
app.command("redress")(retention.redress)
app.add_typer(serve.app)  # serve, set-password
app.add_typer(distributed_cli.app)  # worker, matcher
