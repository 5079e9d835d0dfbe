"""Fixtures for the live engine tests: a vault whose key is also in the environment, and the
walk-past watchlist enrolled once for the session."""

from __future__ import annotations

import pytest

from govkit import SNAPSHOT
from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import Truth, enrol
from openlfr.live.matcher import FrozenWatchlist
from openlfr.store.vault import Vault, new_master_key


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> Vault:
    """Here the vault's key is also in the environment, as `openlfr live run` finds it."""
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    return Vault.from_environment(data_dirs=[])


@pytest.fixture(scope="session")
def walkpast_watchlist(walkpast: Truth, face_engine: FaceEngine) -> FrozenWatchlist:
    """The walk-past watchlist, under the snapshot hash govkit's deployments imported."""
    watchlist, _ = enrol(walkpast.watchlist, face_engine)
    return FrozenWatchlist(watchlist.index, SNAPSHOT)
