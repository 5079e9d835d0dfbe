"""The Redis fixtures shared by every area (a pytest plugin, see tests/conftest.py): a server
(127.0.0.1:6379 when it answers, else a throwaway `redis-server`), a key namespace per test,
deleted afterwards, and a server of a test's own that it may restart."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from environment import REDIS, missing

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


class RedisServer:
    """A throwaway `redis-server` without persistence on a free port; `restart` forgets
    everything, as a real restart of a Redis run without persistence does."""

    def __init__(self, binary: str) -> None:
        self.binary, self.workdir = binary, Path(tempfile.mkdtemp(prefix="openlfr-redis-"))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.workdir)]
        self._server = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not _answers(self.url) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        if self._server is not None:
            self._server.terminate()
            self._server.wait(10)
            self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        missing(REDIS, "nothing answers on 127.0.0.1:6379 and no redis-server to start")
    return binary


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """127.0.0.1:6379 when it answers, else a throwaway server."""
    if _answers(DEFAULT_REDIS):
        yield DEFAULT_REDIS
        return
    server = RedisServer(_server_binary())
    server.start()
    try:
        yield server.url
    finally:
        server.remove()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis server of this test's own, which it may restart."""
    server = RedisServer(_server_binary())
    server.start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def namespace(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    name = f"openlfr-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)
