"""Engines and sessions. SQLite (a file, by default) or PostgreSQL (OPENLFR_DATABASE_URL)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE_PATH = Path("var/openlfr.db")
BUSY_TIMEOUT_MS = 30_000


def database_url() -> str:
    """OPENLFR_DATABASE_URL (e.g. postgresql+psycopg://user@host/db), else var/openlfr.db."""
    if url := os.environ.get("OPENLFR_DATABASE_URL"):
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def create_engine_for(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, waiting (not failing) on a busy lock.
    Autocommit at the driver so that SQLAlchemy's BEGIN below is the only one issued."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    """Take the write lock at the start of every transaction: SQLite then serialises writers
    (audit appends, racing decisions) instead of failing one of them half way."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, migrate: bool = True) -> Database:
    """Connect, bring the schema up to date (unless told not to) and return the session factory."""
    from openlfr.store.migrate import upgrade

    engine = create_engine_for(url or database_url())
    if migrate:
        upgrade(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
