"""The account tables of the web console: a password for an actor, and the sessions it opens.

A user is an `Actor` with a password; the password hash, second factor, session tokens and
recovery codes live here, beside the governance tables, so an actor without a password simply
cannot log in to the browser.
`store.repositories.AccountRepository` reads and writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from openlfr.store.tables import Base


class AccountRow(Base):
    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(ForeignKey("actors.username"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    """Base32; set at the start of enrolment, in force once `totp_enrolled_at` is set."""
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    """The 30-second step of the last code accepted: that code and older ones are refused."""
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """Only the SHA-256 of the session token is kept: a copy of the table logs no one in."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("actors.username"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str | None] = mapped_column(String(16))
    """None: the session opens the console; otherwise the second-factor step still owed."""


class RecoveryCodeRow(Base):
    """A single-use recovery code, kept only as its SHA-256 (the codes are random, 50 bits)."""

    __tablename__ = "recovery_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("actors.username"), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
