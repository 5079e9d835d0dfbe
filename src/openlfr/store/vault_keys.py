"""Where the vault keeps each container's wrapped data key: one row per container. Deleting the
row shreds the container's data, so deletion zeroes freed pages on SQLite (`secure_delete`) and,
after the commit, folds the WAL away (`checkpoint`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, DateTime, Engine, LargeBinary, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from openlfr.store.tables import Base


class VaultKeyRow(Base):
    """One container's data key, wrapped by the master key. Deleting the row shreds the data."""

    __tablename__ = "vault_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VaultKeys:
    """The wrapped data keys as one unit of work sees them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, container_id: str, wrapped: bytes, now: datetime) -> None:
        self.session.add(VaultKeyRow(id=container_id, wrapped_key=wrapped, created_at=now))

    def wrapped(self, container_id: str) -> bytes | None:
        row = self.session.get(VaultKeyRow, container_id)
        return None if row is None else row.wrapped_key

    def delete(self, container_id: str) -> None:
        """In the caller's transaction, zeroing the freed pages on SQLite."""
        self._secure_delete()
        row = self.session.get(VaultKeyRow, container_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()

    def rewrap_all(self, rewrap: Callable[[str, bytes], bytes]) -> int:
        """Replace every wrapped key by `rewrap(container_id, wrapped)`; returns how many."""
        self._secure_delete()
        rows = self.session.scalars(select(VaultKeyRow)).all()
        for row in rows:
            row.wrapped_key = rewrap(row.id, row.wrapped_key)
        self.session.flush()
        return len(rows)

    def _secure_delete(self) -> None:
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(text("PRAGMA secure_delete=ON"))


def checkpoint_sqlite(bind: Engine | Connection) -> None:
    """After a destruction commits: fold the WAL into the database and truncate it, so old
    frames holding a deleted key do not linger in `-wal` (best effort: readers still open keep
    their frames until the next checkpoint; PostgreSQL: nothing to do)."""
    if bind.dialect.name != "sqlite":
        return
    connection = bind.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()
