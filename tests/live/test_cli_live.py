"""`openlfr live run` refuses, with its reason and nothing started, what the run gate or the
command line does not allow; the run itself is tested in tests/distributed/test_switch.py."""

from __future__ import annotations

from command_line import Cli
from govkit import Flow
from openlfr.services import alerts
from openlfr.store.vault import new_master_key


def test_live_run_refuses_with_a_reason(cli: Cli, sqlite_flow: Flow, monkeypatch) -> None:
    ref = sqlite_flow.live()
    run = ["live", "run", ref, "--camera", "cam-1=clip.mp4", "--threshold", "0.45"]
    assert "Missing option '--as'" in cli(*run, code=2).output  # nobody named: nothing runs
    assert "vault: no vault key" in cli(*run, "--as", "gail", code=2).output
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    no_snapshot = cli(*run, "--as", "gail", code=2).output  # govkit recorded a pretend import
    assert f"no frozen snapshot sha256:watchlist-snapshot-1 for {ref}" in no_snapshot
    assert (
        "refused: no deployment 'LFR-NONE'"
        in cli(*run[:2], "LFR-NONE", *run[3:], "--as", "gail", code=2).output
    )
    malformed = cli(*run[:3], "--camera", "cam-1", "--threshold", "0.45", "--as", "gail", code=2)
    assert "'cam-1': give CAMERA_ID=SOURCE" in malformed.output
    assert alerts.camera_metrics(sqlite_flow.uow, ref) == []  # no camera ever started
