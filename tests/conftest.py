"""Shared fixtures: where the shared test data lives, and what happens when it does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from environment import under_ci

pytest_plugins = ["databases", "brokers"]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data folder (OPENLFR_DATA). Under CI a missing folder fails, never skips."""
    raw = os.environ.get("OPENLFR_DATA", "")
    beside = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    path = Path(raw) if raw else beside
    if path is not None and path.is_dir():
        return path
    reason = f"shared test data not found (OPENLFR_DATA={raw!r})"
    if under_ci():
        pytest.fail(reason)
    pytest.skip(reason)
