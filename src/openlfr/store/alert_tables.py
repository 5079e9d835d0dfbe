"""Alerts and camera metrics in the database, and the repository that maps them to the domain.

An alert row holds the alert as JSON plus its best-shot image, encrypted under the alert's own
vault container (so the image can be crypto-shredded on its retention date); no other face image
or template is ever stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from openlfr.domain.alerts import Alert
from openlfr.domain.errors import NotFound
from openlfr.domain.metrics import CameraMetrics, per_camera
from openlfr.store.tables import Base


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), index=True)
    camera: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    image_container: Mapped[str | None] = mapped_column(String(36))
    image: Mapped[bytes | None] = mapped_column(LargeBinary)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012


class CameraRunRow(Base):
    """One run of one camera: its counters, replaced at each save of that run."""

    __tablename__ = "camera_runs"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), primary_key=True)
    camera: Mapped[str] = mapped_column(String(64), primary_key=True)
    run: Mapped[str] = mapped_column(String(36), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, alert: Alert, container_id: str | None, image: bytes | None) -> None:
        row = AlertRow(id=alert.id, image_container=container_id, image=image)
        self._fill(row, alert)
        self.session.add(row)

    def get(self, alert_id: str) -> Alert:
        return Alert.model_validate(self._row(alert_id).data)

    def save(self, alert: Alert) -> None:
        self._fill(self._row(alert.id), alert)

    def image(self, alert_id: str) -> tuple[str | None, bytes | None]:
        """The encrypted image and the vault container it is sealed in."""
        row = self._row(alert_id)
        return row.image_container, row.image

    def for_deployment(self, deployment_id: str) -> list[Alert]:
        query = (
            select(AlertRow)
            .where(AlertRow.deployment_id == deployment_id)
            .order_by(AlertRow.raised_at, AlertRow.id)
        )
        return [Alert.model_validate(row.data) for row in self.session.scalars(query)]

    def about(self, subject: str) -> list[Alert]:
        """Every alert held on a person reference, oldest first (for redress)."""
        query = select(AlertRow).where(AlertRow.subject == subject).order_by(AlertRow.raised_at)
        return [Alert.model_validate(row.data) for row in self.session.scalars(query)]

    def save_metrics(self, deployment_id: str, metrics: CameraMetrics, now: datetime) -> None:
        key = (deployment_id, metrics.camera, metrics.run)
        row = self.session.get(CameraRunRow, key)
        if row is None:
            row = CameraRunRow(deployment_id=deployment_id, camera=metrics.camera, run=metrics.run)
            self.session.add(row)
        row.updated_at, row.data = now, metrics.model_dump(mode="json")

    def metrics(self, deployment_id: str) -> list[CameraMetrics]:
        """Per camera, all its runs added up."""
        query = select(CameraRunRow).where(CameraRunRow.deployment_id == deployment_id)
        return per_camera(CameraMetrics.model_validate(r.data) for r in self.session.scalars(query))

    def _row(self, alert_id: str) -> AlertRow:
        row = self.session.get(AlertRow, alert_id)
        if row is None:
            raise NotFound(f"no alert {alert_id!r}")
        return row

    @staticmethod
    def _fill(row: AlertRow, alert: Alert) -> None:
        row.deployment_id, row.camera, row.subject = (
            alert.deployment_id,
            alert.camera,
            alert.subject,
        )
        row.score, row.status, row.raised_at = alert.score, alert.status.value, alert.raised_at
        row.data = alert.model_dump(mode="json")
