"""Fixtures every area shares, and the suite's plugins: what the machine must have
(environment), the databases and the Redis broker, and running `openlfr` commands."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import Truth, load_truth
from openlfr.store.vault import Vault

pytest_plugins = ["environment", "databases", "brokers", "command_line"]


@pytest.fixture(scope="session")
def face_engine() -> FaceEngine:
    """One face engine for the session: loading the models once keeps the suite quick."""
    return FaceEngine()


@pytest.fixture(scope="session")
def walkpast(data_dir: Path) -> Truth:
    """The synthetic walk-past of the shared data and its truth (who passes when)."""
    return load_truth(data_dir / "walkpast-dev" / "truth.json")


@pytest.fixture
def vault() -> Vault:
    """A vault under a random master key of this test's own."""
    return Vault(secrets.token_bytes(32))
