"""What the governance commands share: the database, the acting user, refusals and form files."""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from openlfr import bootstrap
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import VaultError

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)

ActingAs = Annotated[
    str, typer.Option("--as", envvar="OPENLFR_USER", help="Your username (or set OPENLFR_USER).")
]
Reference = Annotated[
    DeploymentRef,
    typer.Argument(parser=DeploymentRef, metavar="REFERENCE", help="Deployment reference."),
]


def say(deployment: Deployment) -> None:
    typer.echo(f"{deployment.reference}: {deployment.state.value}")


def unit_of_work() -> UnitOfWork:
    """A unit of work on OPENLFR_DATABASE_URL (default var/openlfr.db), schema up to date."""
    return bootstrap.unit_of_work()


def refusals(command: Callable[P, R]) -> Callable[P, R]:
    """Show a refusal as its reason (one line per problem) and exit 2, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except GovernanceError as exc:
            typer.echo("refused:" if exc.problems else f"refused: {exc.reason}", err=True)
            for problem in exc.problems:
                typer.echo(f"  - {problem}", err=True)
            raise typer.Exit(2) from exc
        except VaultError as exc:
            typer.echo(f"vault: {exc}", err=True)
            raise typer.Exit(2) from exc

    return wrapper


def load_model(path: Path, model: type[M]) -> M:
    """Read a form from a .toml or .json file; a bad field is reported by its key."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        return model.model_validate(data)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        typer.echo(f"{path}: cannot be read: {exc}", err=True)
        raise typer.Exit(2) from exc
    except ValidationError as exc:
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            typer.echo(f"{path}: {key}: {error['msg']}", err=True)
        raise typer.Exit(2) from exc
