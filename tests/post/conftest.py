"""Post-deployment tests reuse the governance suite's database fixtures (SQLite and PostgreSQL)
and its Flow, loaded from tests/governance rather than copied."""

from __future__ import annotations

import secrets

import pytest

from openlfr.store.vault import Vault


@pytest.fixture
def vault() -> Vault:
    return Vault(secrets.token_bytes(32))
