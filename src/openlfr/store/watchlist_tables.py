"""Watchlist tables. Images and templates are vault ciphertext only (see `store/vault.py`).

The force's pool (`watchlist_records`, `watchlist_images`) holds vetted records, each under its
own vault container so withdrawing a record shreds it. A deployment's `watchlist_snapshots` row
is frozen by its hash; its images and templates (`snapshot_templates`, under the snapshot's
container) are destroyed after the deployment, while `snapshot_entries` (references and
categories, no biometrics) are kept so the DPO can answer redress questions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from openlfr.store.tables import Base
from openlfr.store.vault_keys import VaultKeyRow


class WatchlistRecordRow(Base):
    __tablename__ = "watchlist_records"

    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    disabled: Mapped[bool] = mapped_column(Boolean)
    gender_transition: Mapped[bool] = mapped_column(Boolean)
    review_date: Mapped[date] = mapped_column(Date)
    container_id: Mapped[str] = mapped_column(ForeignKey(VaultKeyRow.id))
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WatchlistImageRow(Base):
    __tablename__ = "watchlist_images"

    reference: Mapped[str] = mapped_column(
        ForeignKey("watchlist_records.reference", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    file: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(20))
    captured_on: Mapped[date] = mapped_column(Date)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    template: Mapped[bytes] = mapped_column(LargeBinary)


class DuplicateFlagRow(Base):
    """Two references whose templates look like one person, until a person resolves it."""

    __tablename__ = "watchlist_duplicates"
    __table_args__ = (UniqueConstraint("reference_a", "reference_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference_a: Mapped[str] = mapped_column(String(64), index=True)
    reference_b: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[float] = mapped_column(Float)
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)


class SnapshotRow(Base):
    __tablename__ = "watchlist_snapshots"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), index=True)
    hash: Mapped[str] = mapped_column(String(80), index=True)
    size: Mapped[int] = mapped_column(Integer)
    model_id: Mapped[str] = mapped_column(String(100))
    categories: Mapped[list[str]] = mapped_column(JSON)
    special_categories: Mapped[list[str]] = mapped_column(JSON)
    container_id: Mapped[str | None] = mapped_column(ForeignKey(VaultKeyRow.id))
    built_by: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    destroyed_by: Mapped[str | None] = mapped_column(String(64))
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SnapshotEntryRow(Base):
    """Kept after destruction: who was on which deployment's watchlist, by reference only."""

    __tablename__ = "snapshot_entries"

    snapshot_id: Mapped[str] = mapped_column(ForeignKey("watchlist_snapshots.id"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    category: Mapped[str] = mapped_column(String(64))
    special_categories: Mapped[list[str]] = mapped_column(JSON)


class SnapshotTemplateRow(Base):
    """Destroyed with the snapshot: its copies of the images and templates."""

    __tablename__ = "snapshot_templates"

    snapshot_id: Mapped[str] = mapped_column(ForeignKey("watchlist_snapshots.id"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    template: Mapped[bytes] = mapped_column(LargeBinary)
