"""The shipped migrations build exactly the schema the code expects, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from openlfr.store.db import Database
from openlfr.store.migrate import current_revision, shipped_revision, upgrade
from openlfr.store.schema import metadata


def test_migrations_match_the_tables(db: Database) -> None:
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_upgrading_twice_is_harmless(db: Database) -> None:
    upgrade(db.engine)
    assert current_revision(db.engine) == shipped_revision()
