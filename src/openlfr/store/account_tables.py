"""The account tables of the web console: a password for an actor, and the sessions it opens.

A user is an `Actor` with a password; the password hash and session tokens live here, beside
the governance tables, so an actor without a password simply cannot log in to the browser.
`store.repositories.AccountRepository` reads and writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

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
