"""Fixtures for the distributed tests (Redis and its namespaces come from tests/brokers.py): a
live deployment on PostgreSQL (the governance fixtures, reused), the walk-past watchlist as a
file the matcher processes load, a short clip, and a process kit that starts workers and
matchers as separate processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from processes import Procs, live_deployment

from databases import empty_postgres
from openlfr.biometrics.engine import FaceEngine
from openlfr.distributed.broker import new_broker_key
from openlfr.eval.video import Truth, enrol
from openlfr.store.vault import new_master_key


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    empty_postgres(postgres_database)
    return postgres_database


@pytest.fixture
def deployment(postgres_url: str) -> str:
    """A live deployment (govkit's: camera cam-1, threshold 0.45) on PostgreSQL."""
    return live_deployment(postgres_url, ["cam-1"])


@pytest.fixture
def two_partition_deployment(postgres_url: str) -> str:
    """The same with cameras cam-1 and cam-4, whose messages go to partitions 0 and 1 of 2."""
    return live_deployment(postgres_url, ["cam-1", "cam-4"])


@pytest.fixture(scope="session")
def watchlist_file(
    walkpast: Truth, face_engine: FaceEngine, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The walk-past watchlist (enrolment templates of the listed people, test data)."""
    watchlist, _ = enrol(walkpast.watchlist, face_engine)
    path = tmp_path_factory.mktemp("watchlist") / "watchlist.npz"
    watchlist.index.save(path)
    return path


@pytest.fixture(scope="session")
def short_clip(walkpast: Truth, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Frames 60-430 of the walk-past (14.8 s): Richard Gere and Ahmed Chalabi walk past."""
    path = tmp_path_factory.mktemp("clip") / "short.mp4"
    capture = cv2.VideoCapture(str(walkpast.video))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 60)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (1280, 720))
    for _ in range(370):
        ok, frame = capture.read()
        assert ok
        writer.write(frame)
    writer.release()
    capture.release()
    return path


@pytest.fixture
def procs(redis_url: str, namespace: str, postgres_url: str, tmp_path: Path) -> Iterator[Procs]:
    env = dict(os.environ) | {
        "OPENLFR_BROKER_KEY": new_broker_key(),
        "OPENLFR_VAULT_KEY": new_master_key(),
        "OPENLFR_DATABASE_URL": postgres_url,
        "PYTHONUNBUFFERED": "1",
    }
    kit = Procs(redis_url, namespace, tmp_path, env)
    yield kit
    kit.stop()
