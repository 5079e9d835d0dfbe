"""Alembic environment: uses the connection handed over by `openlfr.store.migrate`, or opens one
from OPENLFR_DATABASE_URL when run by the alembic command itself."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from openlfr.store.db import create_engine_for, database_url
from openlfr.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with create_engine_for(database_url()).begin() as own:
        _run(own)
