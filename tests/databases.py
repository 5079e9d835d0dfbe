"""Database fixtures shared by every area (a pytest plugin, see tests/conftest.py).

Every `uow` test runs on SQLite (a temp file) and on PostgreSQL (127.0.0.1:5432 if reachable,
else a throwaway server started from the installed binaries), each session in a fresh, uniquely
named database dropped afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from environment import POSTGRES, missing
from govkit import Flow, add_people
from openlfr.store.db import Database, open_database
from openlfr.store.uow import UnitOfWork

SERVER_URL = os.environ.get(
    "OPENLFR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _reachable(url: str) -> bool:
    try:
        psycopg.connect(_conninfo(url), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """A throwaway cluster (initdb + pg_ctl in a temp dir, as the postgres user when we are
    root) that a test may stop and start again."""

    def __init__(self, workdir: Path, bindir: Path) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_postgres:
            shutil.chown(workdir, "postgres")
        self.workdir, data, port = workdir, workdir / "data", _free_port()
        initdb = [*as_postgres, str(bindir / "initdb"), "-D", str(data)]
        subprocess.run([*initdb, "-U", "postgres", "-A", "trust"], check=True, capture_output=True)
        self._pg_ctl = [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data)]
        self._options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    @classmethod
    def create(cls) -> PostgresServer | None:
        """None when no PostgreSQL binaries are installed."""
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            return None
        return cls(Path(tempfile.mkdtemp(prefix="openlfr-pg-")), Path(found[-1]).parent)

    def start(self) -> None:
        log = str(self.workdir / "log")
        args = [*self._pg_ctl, "-o", self._options, "-w", "-l", log, "start"]
        subprocess.run(args, check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([*self._pg_ctl, "-m", "fast", "stop"], check=False, capture_output=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextmanager
def _own_postgres() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer.create()
        if server is not None:
            server.start()
    except (subprocess.CalledProcessError, OSError) as exc:
        server, reason = None, f"could not start a throwaway PostgreSQL: {exc}"
    else:
        reason = "no initdb found to start a PostgreSQL server"
    if server is None:
        missing(POSTGRES, reason)
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """127.0.0.1:5432 when it answers, else a throwaway server."""
    if _reachable(SERVER_URL):
        yield SERVER_URL
        return
    with _own_postgres() as server:
        yield server.url


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, which it may stop and start."""
    with _own_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A database of our own for the whole session, dropped at the end."""
    name = f"openlfr_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(postgres_server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(postgres_server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres(url: str) -> None:
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'openlfr.db'}"
    url: str = request.getfixturevalue("postgres_database")
    empty_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests of rules that do not depend on the database: SQLite only, to stay fast."""
    return f"sqlite:///{tmp_path / 'openlfr.db'}"


def _open(url: str) -> Iterator[Database]:
    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    yield from _open(database_url)


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    yield from _open(sqlite_url)


@pytest.fixture
def uow(db: Database) -> UnitOfWork:
    """A unit of work with the cast of people (see govkit.PEOPLE) already added."""
    unit = UnitOfWork(db.sessions)
    add_people(unit)
    return unit


@pytest.fixture
def sqlite_uow(sqlite_db: Database) -> UnitOfWork:
    unit = UnitOfWork(sqlite_db.sessions)
    add_people(unit)
    return unit


@pytest.fixture
def flow(uow: UnitOfWork) -> Flow:
    return Flow(uow)


@pytest.fixture
def sqlite_flow(sqlite_uow: UnitOfWork) -> Flow:
    return Flow(sqlite_uow)
