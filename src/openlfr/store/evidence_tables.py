"""Tables of the post-deployment area: evidence holds on alerts, versioned equitability
evidence and which deployment relied on which, and each deployment's submitted cancellation
report (frozen, so the register survives the deletion of the alerts it counts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openlfr.store.tables import Base


class EvidenceHoldRow(Base):
    """An alert kept past its retention period as evidence, with the reason and review date."""

    __tablename__ = "evidence_holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(64), index=True)
    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    review_date: Mapped[date] = mapped_column(Date)
    held_by: Mapped[str] = mapped_column(String(64))
    held_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    release_reason: Mapped[str | None] = mapped_column(Text)


class EquitabilityEvidenceRow(Base):
    """One version of the equitability evidence; `digest` is SHA-256 of the document."""

    __tablename__ = "equitability_evidence"

    digest: Mapped[str] = mapped_column(String(71), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    model_id: Mapped[str] = mapped_column(String(128))
    threshold: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeploymentEvidenceRow(Base):
    """The equitability evidence a deployment relied on (one row per deployment)."""

    __tablename__ = "deployment_evidence"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), primary_key=True)
    evidence_digest: Mapped[str] = mapped_column(ForeignKey("equitability_evidence.digest"))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CancellationReportRow(Base):
    """The cancellation report as submitted (Form 1 Part 3), never edited."""

    __tablename__ = "cancellation_reports"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(71))
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
