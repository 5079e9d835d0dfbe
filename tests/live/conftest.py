"""Fixtures for the live engine tests: the governance databases and Flow (reused, not copied),
a vault key for alert images, and a small face engine shared by the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit import SNAPSHOT
from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import Truth, enrol, load_truth
from openlfr.live.matcher import FrozenWatchlist
from openlfr.store.vault import Vault, new_master_key


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> Vault:
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    return Vault.from_environment(data_dirs=[])


@pytest.fixture(scope="session")
def face_engine() -> FaceEngine:
    return FaceEngine()


@pytest.fixture(scope="session")
def walkpast(data_dir: Path) -> Truth:
    return load_truth(data_dir / "walkpast-dev" / "truth.json")


@pytest.fixture(scope="session")
def walkpast_watchlist(walkpast: Truth, face_engine: FaceEngine) -> FrozenWatchlist:
    """The walk-past watchlist, under the snapshot hash govkit's deployments imported."""
    watchlist, _ = enrol(walkpast.watchlist, face_engine)
    return FrozenWatchlist(watchlist.index, SNAPSHOT)
