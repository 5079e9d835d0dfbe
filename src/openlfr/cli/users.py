"""`openlfr users ...`: people, their roles and ranks."""

from __future__ import annotations

from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, refusals, unit_of_work
from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts, users

app = typer.Typer(help="Users and their roles.")

Roles = Annotated[list[Role], typer.Option("--role", help="Repeat for each role.")]
Rank = Annotated[str | None, typer.Option(help="Rank key from the policy, e.g. superintendent.")]
By = Annotated[
    str | None, typer.Option("--as", envvar="OPENLFR_USER", help="Administrator adding the user.")
]


Login = Annotated[
    bool, typer.Option("--login", help="Also give a console password (asked for, hidden).")
]


@app.command("add")
@refusals
def add(
    username: str, name: str, role: Roles, rank: Rank = None, by: By = None, login: Login = False
) -> None:
    """Add a user. The very first user needs no --as, and must be an administrator."""
    actor = Actor(username=username, display_name=name, roles=frozenset(role), rank=rank)
    if login:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        accounts.add_user_with_password(unit_of_work(), by, actor, password)
    else:
        users.add_user(unit_of_work(), by, actor)
    typer.echo(f"added {username}: {', '.join(sorted(role))}")


@app.command("update")
@refusals
def update(username: str, name: str, role: Roles, by: ActingAs, rank: Rank = None) -> None:
    """Replace a user's name, roles and rank (administrators only)."""
    actor = Actor(username=username, display_name=name, roles=frozenset(role), rank=rank)
    users.update_user(unit_of_work(), by, actor)
    typer.echo(f"updated {username}")


@app.command("list")
def list_users() -> None:
    """List users, their ranks and roles."""
    for actor in users.list_users(unit_of_work()):
        roles = ", ".join(sorted(actor.roles))
        typer.echo(f"{actor.username}\t{actor.display_name}\t{actor.rank or '-'}\t{roles}")
