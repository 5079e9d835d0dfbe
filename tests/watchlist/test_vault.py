"""The vault key: from outside the data, with a clear error when missing, misplaced or wrong;
rotated, so that a backup from before a destruction needs a key that no longer exists."""

from __future__ import annotations

import base64
import secrets
import sqlite3
from pathlib import Path

import pytest

from openlfr.domain.errors import PermissionRefused
from openlfr.services.audit import audit_history
from openlfr.services.vault_rotation import rotate_master_key
from openlfr.store.db import Database, open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import (
    ContainerDestroyed,
    Vault,
    VaultError,
    VaultKeyMismatch,
    new_master_key,
)
from openlfr.store.vault_keys import VaultKeys


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
        box = vault.new_container(VaultKeys(session))
        blob = vault.encrypt(box, b"template bytes", b"record:R1:0")
        assert vault.decrypt(box, blob, b"record:R1:0") == b"template bytes"
        with pytest.raises(VaultKeyMismatch, match="the vault key does not match the data"):
            other.decrypt(box, blob, b"record:R1:0")
        with pytest.raises(VaultKeyMismatch):
            vault.decrypt(box, blob, b"record:R2:0")  # moved to another place
        vault.destroy(VaultKeys(session), box.id)
        with pytest.raises(ContainerDestroyed, match="was destroyed"):
            vault.container(VaultKeys(session), box.id)


def test_rotating_the_key_shreds_backups_taken_before_a_destruction(
    sqlite_uow: UnitOfWork, sqlite_db: Database, tmp_path: Path
) -> None:
    vault, successor = Vault(secrets.token_bytes(32)), Vault(secrets.token_bytes(32))
    with sqlite_db.sessions() as session:
        keys = VaultKeys(session)
        kept, destroyed = vault.new_container(keys), vault.new_container(keys)
        blobs = {box.id: vault.encrypt(box, b"template bytes", b"t") for box in (kept, destroyed)}
        session.commit()
    backup = tmp_path / "backup.db"
    raw, target = sqlite_db.engine.raw_connection(), sqlite3.connect(backup)
    raw.driver_connection.backup(target)  # type: ignore[union-attr]  # taken before the destruction
    target.close()
    raw.close()
    with sqlite_db.sessions() as session:
        vault.destroy(VaultKeys(session), destroyed.id)
        session.commit()
    with pytest.raises(PermissionRefused, match="administrator role needed to rotate"):
        rotate_master_key(sqlite_uow, "gail", vault, successor)
    assert rotate_master_key(sqlite_uow, "admin", vault, successor) == 1

    with sqlite_db.sessions() as session:  # the live data: readable under the new key only
        box = successor.container(VaultKeys(session), kept.id)
        assert successor.decrypt(box, blobs[kept.id], b"t") == b"template bytes"
        with pytest.raises(VaultKeyMismatch):
            vault.decrypt(box, blobs[kept.id], b"t")
    old_copy = open_database(f"sqlite:///{backup}", migrate=False)
    with old_copy.sessions() as session:  # the backup: only the old key opens it, so destroy it
        box = vault.container(VaultKeys(session), destroyed.id)
        assert vault.decrypt(box, blobs[destroyed.id], b"t") == b"template bytes"
        with pytest.raises(VaultKeyMismatch):
            successor.decrypt(box, blobs[destroyed.id], b"t")
    old_copy.dispose()
    assert audit_history(sqlite_uow)[-1].action == "vault.rotated"
