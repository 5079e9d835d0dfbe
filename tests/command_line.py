"""Running `openlfr` commands in tests (a pytest plugin, see tests/conftest.py): through Typer's
runner on the test's own SQLite database, each call checking the exit code it expects; and
`openlfr` as a process, for the commands that serve until stopped."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from openlfr.cli import app
from openlfr.store.vault import Vault, new_master_key


class Cli:
    """`cli("deployment", "submit", REF, "--as", "alice")` runs the command and checks it
    exited 0 (or `code`); the result's `output` holds what it printed, refusals included."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Result:
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
        assert "Traceback" not in result.output, result.output
        return result


@pytest.fixture
def cli(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Commands on the SQLite database the `sqlite_*` fixtures use, with nobody acting and no
    vault key unless the test sets one (`cli_vault`)."""
    monkeypatch.setenv("OPENLFR_DATABASE_URL", sqlite_url)
    for name in ("OPENLFR_USER", "OPENLFR_VAULT_KEY", "OPENLFR_VAULT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return Cli()


@pytest.fixture
def cli_vault(monkeypatch: pytest.MonkeyPatch) -> Vault:
    """A vault key in the commands' environment, and the same vault for the test's services."""
    key = new_master_key()
    monkeypatch.setenv("OPENLFR_VAULT_KEY", key)
    return Vault(base64.b64decode(key))


def openlfr_process(*args: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """`openlfr ARGS` as a process of its own (stdout and stderr to `log`), with `env` added to
    this process's environment."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "openlfr", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ) | env,
        )
