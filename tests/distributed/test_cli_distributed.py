"""`openlfr worker` and `openlfr matcher` refuse to start without what they need, saying what
(exit 2, no traceback); their runs are tested as processes in test_processes.py."""

from __future__ import annotations

import pytest

from command_line import Cli
from openlfr.distributed.broker import new_broker_key
from openlfr.store.vault import new_master_key

CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_a_worker_needs_its_broker_key_and_a_broker_that_answers(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENLFR_BROKER_KEY", raising=False)
    worker = ["worker", "--deployment", "LFR-X", "--broker", CLOSED_PORT]
    assert "broker: OPENLFR_BROKER_KEY is not set" in cli(*worker, code=2).output
    monkeypatch.setenv("OPENLFR_BROKER_KEY", "not base64!")
    assert "broker: OPENLFR_BROKER_KEY is not base64" in cli(*worker, code=2).output
    monkeypatch.setenv("OPENLFR_BROKER_KEY", new_broker_key())
    assert f"broker: cannot reach {CLOSED_PORT}" in cli(*worker, code=2).output


def test_a_matcher_needs_the_vault_and_a_live_deployment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher = ["matcher", "LFR-X", "--broker", CLOSED_PORT, "--threshold", "0.45"]
    assert "vault: no vault key" in cli(*matcher, code=2).output
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    assert "refused: no deployment 'LFR-X'" in cli(*matcher, code=2).output
