"""Protection at rest: biometric images and templates are stored only as AES-256-GCM ciphertext.

Envelope encryption. A master key (32 bytes) comes from outside the data: a key file named by
`OPENLFR_VAULT_KEY_FILE` (base64 text, mode 0600, never inside the data directory) or the
base64 variable `OPENLFR_VAULT_KEY`. Each *container* (a watchlist snapshot, an alert, ...) gets
its own random data key, stored in `vault_keys` wrapped (AES-GCM) by the master key. Destroying
the container deletes its wrapped data key: every ciphertext of that container, wherever a copy
survives (SQLite free pages, an old WAL frame, a dump), is then unreadable (crypto-shredding).
Backups taken before the destruction still hold the wrapped key; they are shredded by rotating
the master key (`rewrap`, `openlfr watchlist vault-rotate`) and destroying the old one.

    vault = Vault.from_environment()                   # VaultError if missing, bad or misplaced
    box = vault.new_container(uow.vault_keys, now)     # Container(id, wrapped_key), stored
    blob = vault.encrypt(box, image_bytes, b"record:R1:image:0")
    vault.decrypt(vault.container(uow.vault_keys, box.id), blob, b"record:R1:image:0")
    vault.destroy(uow.vault_keys, box.id)              # the key row goes; blobs are noise

The associated data binds a ciphertext to its place (say, the record and image it belongs
to): a blob copied to another row does not decrypt. Each blob is nonce (12 bytes) + ciphertext
+ tag. A wrong master key, a wrong place or an altered blob all fail GCM authentication and
raise `VaultKeyMismatch` ("the vault key does not match the data").
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from openlfr.store.db import DEFAULT_SQLITE_PATH, database_url
from openlfr.store.vault_keys import VaultKeys

KEY_BYTES = 32
NONCE_BYTES = 12
KEY_FILE_VARIABLE = "OPENLFR_VAULT_KEY_FILE"
KEY_VARIABLE = "OPENLFR_VAULT_KEY"
_WRAP_CONTEXT = b"openlfr-vault-key:"


class VaultError(Exception):
    """The vault cannot be opened or used; the message says what to do."""


class VaultKeyMismatch(VaultError):
    """GCM authentication failed: another master key, or data altered or moved."""


class ContainerDestroyed(VaultError):
    """The container's data key is gone: its data was destroyed on purpose."""


class Container(NamedTuple):
    id: str
    wrapped_key: bytes


def new_master_key() -> str:
    """A fresh master key as base64 text, for a key file or the environment."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def default_data_dirs() -> list[Path]:
    """Where the data lives: `var/` and, for SQLite, the database file's directory."""
    dirs = [DEFAULT_SQLITE_PATH.parent]
    url = make_url(database_url())
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        dirs.append(Path(url.database).parent)
    return dirs


class Vault:
    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != KEY_BYTES:
            raise VaultError(f"the vault key must be {KEY_BYTES} bytes, not {len(master_key)}")
        self._master = AESGCM(master_key)

    @classmethod
    def from_environment(cls, data_dirs: Iterable[Path] | None = None) -> Vault:
        """The master key from OPENLFR_VAULT_KEY_FILE, else OPENLFR_VAULT_KEY; refuse a key file
        kept with the data it protects (a stolen data directory must not carry its own key)."""
        if path := os.environ.get(KEY_FILE_VARIABLE):
            return cls(
                _read_key_file(Path(path), default_data_dirs() if data_dirs is None else data_dirs)
            )
        if value := os.environ.get(KEY_VARIABLE):
            return cls(_decode(value, KEY_VARIABLE))
        raise VaultError(
            f"no vault key: set {KEY_FILE_VARIABLE} to a key file outside the data directory "
            f"(create one with `openlfr watchlist vault-key FILE`) or {KEY_VARIABLE} to the key "
            "in base64"
        )

    def new_container(self, keys: VaultKeys, now: datetime | None = None) -> Container:
        """A container with a fresh random data key, added (wrapped) to the caller's transaction."""
        container_id = str(uuid.uuid4())
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        wrapped = _seal(self._master, data_key, _WRAP_CONTEXT + container_id.encode())
        keys.add(container_id, wrapped, now or datetime.now(UTC))
        return Container(container_id, wrapped)

    def container(self, keys: VaultKeys, container_id: str) -> Container:
        wrapped = keys.wrapped(container_id)
        if wrapped is None:
            raise ContainerDestroyed(f"container {container_id} was destroyed; its data is gone")
        return Container(container_id, wrapped)

    def encrypt(self, container: Container, plaintext: bytes, associated_data: bytes) -> bytes:
        return _seal(self._data_key(container), plaintext, associated_data)

    def decrypt(self, container: Container, blob: bytes, associated_data: bytes) -> bytes:
        return _open(self._data_key(container), blob, associated_data)

    def destroy(self, keys: VaultKeys, container_id: str) -> None:
        """Delete the wrapped data key in the caller's transaction (SQLite: zeroing freed pages),
        making every ciphertext of the container unreadable."""
        keys.delete(container_id)

    def rewrap(self, keys: VaultKeys, successor: Vault) -> int:
        """Every live data key wrapped again under `successor`'s master key, in the caller's
        transaction (SQLite: the old wrappings' pages zeroed); returns how many. Once the old
        master key is destroyed, a backup taken before cannot be opened: its wrapped keys need
        the old master key, and data destroyed since has no key under the new one."""

        def again(container_id: str, wrapped: bytes) -> bytes:
            context = _WRAP_CONTEXT + container_id.encode()
            return _seal(successor._master, _open(self._master, wrapped, context), context)

        return keys.rewrap_all(again)

    def _data_key(self, container: Container) -> AESGCM:
        key = _open(self._master, container.wrapped_key, _WRAP_CONTEXT + container.id.encode())
        return AESGCM(key)


def _seal(aead: AESGCM, plaintext: bytes, associated_data: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + aead.encrypt(nonce, plaintext, associated_data)


def _open(aead: AESGCM, blob: bytes, associated_data: bytes) -> bytes:
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data)
    except InvalidTag:
        raise VaultKeyMismatch(
            "the vault key does not match the data (another key, or the data was altered)"
        ) from None


def _decode(value: str, source: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except binascii.Error:
        raise VaultError(f"{source} is not base64 text") from None
    if len(key) != KEY_BYTES:
        raise VaultError(f"{source} must hold a {KEY_BYTES}-byte key in base64, not {len(key)}")
    return key


def _read_key_file(path: Path, data_dirs: Iterable[Path]) -> bytes:
    resolved = path.expanduser().resolve()
    for data_dir in data_dirs:
        if resolved.is_relative_to(data_dir.expanduser().resolve()):
            raise VaultError(
                f"the vault key file {path} is inside the data directory {data_dir}: keep the "
                "key apart from the data it protects"
            )
    try:
        mode = resolved.stat().st_mode
        content = resolved.read_text(encoding="ascii")
    except FileNotFoundError:
        raise VaultError(f"the vault key file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise VaultError(f"the vault key file {path} cannot be read: {error}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise VaultError(f"the vault key file {path} is readable by others: chmod 600 {path}")
    return _decode(content, f"the vault key file {path}")
