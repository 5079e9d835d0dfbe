"""`openlfr serve` serves the console until it is stopped, and refuses to start without a
vault key; `openlfr set-password` sets a password at a hidden prompt, for oneself or as an
administrator."""

from __future__ import annotations

import signal
import socket
import urllib.request
from pathlib import Path

import pytest

from command_line import Cli, openlfr_process
from govkit import Flow
from openlfr.services import accounts
from openlfr.store.vault import new_master_key
from timing import wait_for

PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _login_page(url: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{url}/login", timeout=5) as response:
            return int(response.status)
    except OSError:
        return None


def test_serve_runs_the_console_until_stopped(sqlite_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {"OPENLFR_DATABASE_URL": sqlite_url, "OPENLFR_VAULT_KEY": new_master_key()}
    log = tmp_path / "serve.log"
    server = openlfr_process("serve", "--port", str(port), log=log, **env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _login_page(url) or server.poll() is not None, 60, "the console")
        assert _login_page(url) == 200, log.read_text()
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == -signal.SIGTERM  # uvicorn re-raises it once shut down
    finally:
        if server.poll() is None:
            server.kill()
    said = log.read_text()
    assert f"Uvicorn running on {url}" in said
    assert "Application shutdown complete" in said  # retention and cameras were stopped


def test_serve_refuses_without_a_vault_key_or_a_real_port(cli: Cli) -> None:
    assert "vault: no vault key" in cli("serve", "--port", "8123", code=2).output
    assert "Invalid value for '--port'" in cli("serve", "--port", "70000", code=2).output


def test_set_password_at_a_hidden_prompt(
    cli: Cli, sqlite_flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow = sqlite_flow.uow
    twice = f"{PASSWORD}\n{PASSWORD}\n"
    set_otto = ["set-password", "otto"]
    assert cli(*set_otto, "--as", "admin", input=twice).output.endswith("password set for otto\n")
    assert PASSWORD not in cli(*set_otto, "--as", "admin", input=twice).output  # not echoed
    accounts.log_in(uow, "otto", PASSWORD)
    refused = cli(*set_otto, "--as", "alice", input=twice, code=2)
    assert "refused: alice may not set the password of otto" in refused.output
    short = cli(*set_otto, "--as", "otto", input="short\nshort\n", code=2)
    assert "refused: a password needs at least" in short.output
    own = "a new long passphrase"
    monkeypatch.setenv("OPENLFR_USER", "otto")  # oneself, named by the environment
    cli(*set_otto, input=f"{own}\n{own}\n")
    accounts.log_in(uow, "otto", own)
    with pytest.raises(accounts.LoginFailed):
        accounts.log_in(uow, "otto", PASSWORD)
