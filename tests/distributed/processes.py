"""The process kit of the distributed tests: workers, matchers and other `openlfr` commands as
separate processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import govkit
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork

T = TypeVar("T")
MATCHER_PROC = Path(__file__).with_name("matcher_proc.py")
TESTS = Path(__file__).resolve().parents[1]
"""On the processes' PYTHONPATH, so that the matcher process finds the test kit (govkit)."""


class Procs:
    """Workers and matchers as separate processes, each logging to a file; all killed at the
    end of the test."""

    def __init__(self, redis_url: str, namespace: str, workdir: Path, env: dict[str, str]):
        self.redis_url, self.namespace, self.workdir, self.env = redis_url, namespace, workdir, env
        self.started: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, args: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env | {"PYTHONPATH": str(TESTS)} | env,
        )
        self.started.append(proc)
        return proc

    def openlfr(self, name: str, *args: str, **env: str):  # type: ignore[no-untyped-def]
        """`openlfr ARGS` with this test's broker and namespace in its environment."""
        broker = {"OPENLFR_BROKER_URL": self.redis_url, "OPENLFR_BROKER_NAMESPACE": self.namespace}
        return self._start(name, ["-m", "openlfr", *args], **broker | env)

    def worker(self, deployment: str, worker_id: str, *extra: str, **env: str):
        args = ["worker", "--deployment", deployment, "--id", worker_id, "--pacing", "video"]
        return self.openlfr(worker_id, *args, *extra, **env)

    def matcher(
        self, deployment: str, member: str, watchlist: Path, *cameras: str, partitions: int = 1
    ):  # type: ignore[no-untyped-def]
        args = [str(MATCHER_PROC), self.redis_url, self.namespace, deployment, member]
        return self._start(member, [*args, str(watchlist), str(partitions), *cameras])

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


def live_deployment(database_url: str, cameras: list[str]) -> str:
    """govkit's live deployment (threshold 0.45, window in 2030) with these cameras."""
    database = open_database(database_url)
    try:
        uow = UnitOfWork(database.sessions)
        govkit.add_people(uow)
        return govkit.Flow(uow).live(cameras)
    finally:
        database.dispose()


def stored(database_url: str, read: Callable[[UnitOfWork], T]) -> T:
    """What the processes wrote, read through the services on a connection of the test's own."""
    database = open_database(database_url, migrate=False)
    try:
        return read(UnitOfWork(database.sessions))
    finally:
        database.dispose()
