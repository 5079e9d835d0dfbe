"""`openlfr users ...`: people, their roles and ranks."""

from __future__ import annotations

from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, refusals, unit_of_work
from openlfr.domain.roles import Actor, Role
from openlfr.services import account_admin, accounts, second_factor, users

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
    """List users, their ranks, roles, login state and last login."""
    logins = accounts.account_states(unit_of_work())
    for actor in users.list_users(unit_of_work()):
        roles = ", ".join(sorted(actor.roles))
        login = logins.get(actor.username)
        state = "no login" if login is None else "disabled" if login.disabled else "can log in"
        last = (
            login.last_login_at.isoformat(timespec="minutes")
            if login and login.last_login_at
            else "never"
        )
        typer.echo(
            f"{actor.username}\t{actor.display_name}\t{actor.rank or '-'}\t{roles}\t{state}\t{last}"
        )


@app.command("disable")
@refusals
def disable(username: str, by: ActingAs) -> None:
    """Disable a user's console login; their sessions end at once."""
    account_admin.disable(unit_of_work(), by, username)
    typer.echo(f"disabled {username}")


@app.command("enable")
@refusals
def enable(username: str, by: ActingAs) -> None:
    """Let a disabled user log in again."""
    account_admin.enable(unit_of_work(), by, username)
    typer.echo(f"enabled {username}")


@app.command("remove")
@refusals
def remove(username: str, by: ActingAs) -> None:
    """Remove a user who appears in no record (otherwise disable them)."""
    account_admin.remove(unit_of_work(), by, username)
    typer.echo(f"removed {username}")


@app.command("reset-second-factor")
@refusals
def reset_second_factor(username: str, by: ActingAs) -> None:
    """Clear a lost authenticator: the user sets up a new one at their next login."""
    second_factor.reset_second_factor(unit_of_work(), by, username)
    typer.echo(f"second factor reset for {username}; they set it up again at their next login")
