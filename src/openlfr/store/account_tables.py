"""Account storage for the web console: a password for an actor, and the sessions it opens.

A user is an `Actor` with a password; the password hash and session tokens live here, beside
the governance tables, so an actor without a password simply cannot log in to the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from openlfr.store.tables import Base


class AccountRow(Base):
    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(ForeignKey("actors.username"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """Only the SHA-256 of the session token is kept: a copy of the table logs no one in."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("actors.username"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class StoredSession:
    username: str
    expires_at: datetime


class AccountStore:
    """Passwords and sessions by username and token hash; nothing outside `store` sees a row."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def password_hash(self, username: str) -> str | None:
        row = self.session.get(AccountRow, username)
        return row.password_hash if row else None

    def set_password_hash(self, username: str, password_hash: str, now: datetime) -> None:
        row = self.session.get(AccountRow, username)
        if row is None:
            row = AccountRow(username=username)
            self.session.add(row)
        row.password_hash, row.changed_at = password_hash, now

    def add_session(self, token_hash: str, username: str, now: datetime, expires: datetime) -> None:
        self.session.add(
            SessionRow(token_hash=token_hash, username=username, created_at=now, expires_at=expires)
        )

    def find_session(self, token_hash: str) -> StoredSession | None:
        row = self.session.get(SessionRow, token_hash)
        return StoredSession(row.username, row.expires_at) if row else None

    def drop_session(self, token_hash: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    def drop_sessions_of(self, username: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.username == username))

    def drop_expired(self, now: datetime) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.expires_at < now))

    def usernames_with_password(self) -> set[str]:
        return set(self.session.scalars(select(AccountRow.username)))
