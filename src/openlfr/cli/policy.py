"""`openlfr policy ...`: see, check and change the policy in force."""

from __future__ import annotations

from pathlib import Path

import typer

from openlfr.cli._shared import ActingAs, refusals, unit_of_work
from openlfr.domain.policy_file import load_policy_file
from openlfr.services.policy import install_policy, show_policy

app = typer.Typer(help="The force policy (closed lists, ranks, periods, threshold floor).")


@app.command("show")
@refusals
def show(version: str | None = None) -> None:
    """Print the active policy (or a past version) as JSON."""
    policy = show_policy(unit_of_work(), version)
    typer.echo(f"version {policy.version}")
    typer.echo(policy.model_dump_json(indent=2))


@app.command("validate")
@refusals
def validate(path: Path) -> None:
    """Check a policy file without installing it."""
    policy = load_policy_file(path)
    typer.echo(f"{path}: valid, version {policy.version}")


@app.command("install")
@refusals
def install(path: Path, by: ActingAs) -> None:
    """Make a policy file the active policy (administrators only; audited)."""
    policy = install_policy(unit_of_work(), by, path.read_text(encoding="utf-8"))
    typer.echo(f"installed {policy.name}, version {policy.version}")
