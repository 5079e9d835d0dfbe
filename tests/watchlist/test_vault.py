"""The vault key: from outside the data, with a clear error when missing, misplaced or wrong."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import pytest

from openlfr.store.db import Database
from openlfr.store.vault import (
    ContainerDestroyed,
    Vault,
    VaultError,
    VaultKeyMismatch,
    new_master_key,
)


def test_no_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENLFR_VAULT_KEY_FILE", raising=False)
    monkeypatch.delenv("OPENLFR_VAULT_KEY", raising=False)
    with pytest.raises(VaultError, match="no vault key: set OPENLFR_VAULT_KEY_FILE"):
        Vault.from_environment()


def test_key_from_the_environment_or_a_private_file_outside_the_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("OPENLFR_VAULT_KEY_FILE", raising=False)
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    Vault.from_environment()
    monkeypatch.setenv("OPENLFR_VAULT_KEY", base64.b64encode(b"short").decode())
    with pytest.raises(VaultError, match="must hold a 32-byte key"):
        Vault.from_environment()

    key_file, data = tmp_path / "keys" / "vault.key", tmp_path / "var"
    key_file.parent.mkdir()
    key_file.write_text(new_master_key())
    monkeypatch.setenv("OPENLFR_VAULT_KEY_FILE", str(key_file))
    key_file.chmod(0o644)
    with pytest.raises(VaultError, match="readable by others: chmod 600"):
        Vault.from_environment([data])
    key_file.chmod(0o600)
    Vault.from_environment([data])
    with pytest.raises(VaultError, match="is inside the data directory"):
        Vault.from_environment([tmp_path])
    monkeypatch.setenv("OPENLFR_VAULT_KEY_FILE", str(tmp_path / "nope.key"))
    with pytest.raises(VaultError, match="does not exist"):
        Vault.from_environment([data])


def test_a_wrong_key_or_altered_data_does_not_decrypt(sqlite_db: Database) -> None:
    vault, other = Vault(secrets.token_bytes(32)), Vault(secrets.token_bytes(32))
    with sqlite_db.sessions() as session:
        box = vault.new_container(session)
        blob = vault.encrypt(box, b"template bytes", b"record:R1:0")
        assert vault.decrypt(box, blob, b"record:R1:0") == b"template bytes"
        with pytest.raises(VaultKeyMismatch, match="the vault key does not match the data"):
            other.decrypt(box, blob, b"record:R1:0")
        with pytest.raises(VaultKeyMismatch):
            vault.decrypt(box, blob, b"record:R2:0")  # moved to another place
        vault.destroy(session, box.id)
        with pytest.raises(ContainerDestroyed, match="was destroyed"):
            vault.container(session, box.id)
