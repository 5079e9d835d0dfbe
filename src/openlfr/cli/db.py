"""`openlfr db ...`: create or upgrade the database schema."""

from __future__ import annotations

import typer

from openlfr.store.db import create_engine_for, database_url
from openlfr.store.migrate import current_revision, upgrade

app = typer.Typer(help="The database (OPENLFR_DATABASE_URL, default var/openlfr.db).")


@app.command("upgrade")
def upgrade_command() -> None:
    """Apply every migration not yet applied."""
    engine = create_engine_for(database_url())
    upgrade(engine)
    typer.echo(f"database at revision {current_revision(engine)}")
    engine.dispose()


@app.command("current")
def current_command() -> None:
    """Print the schema revision the database is at."""
    engine = create_engine_for(database_url())
    typer.echo(current_revision(engine) or "empty (run: openlfr db upgrade)")
    engine.dispose()
