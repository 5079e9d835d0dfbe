"""Alerts, camera counters and alert deliveries as one unit of work sees them: domain values in
and out, each mapped to and from its row here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openlfr.domain.alerts import Alert
from openlfr.domain.deployment import DeploymentId
from openlfr.domain.errors import NotFound
from openlfr.domain.metrics import CameraMetrics, per_camera
from openlfr.store.alert_tables import AlertRow, CameraRunRow
from openlfr.store.delivery_tables import AlertDeliveryRow


@dataclass(frozen=True)
class SealedImage:
    """An alert's best shot as stored: ciphertext under the alert's own vault container."""

    container_id: str
    ciphertext: bytes


class AlertRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, alert: Alert, image: SealedImage | None) -> None:
        row = AlertRow(id=alert.id)
        if image is not None:
            row.image_container, row.image = image.container_id, image.ciphertext
        _fill(row, alert)
        self.session.add(row)

    def get(self, alert_id: str) -> Alert:
        return _alert(self._row(alert_id))

    def save(self, alert: Alert) -> None:
        _fill(self._row(alert.id), alert)

    def image(self, alert_id: str) -> SealedImage | None:
        """The encrypted best shot, None once it has been deleted."""
        return _image(self._row(alert_id))

    def for_deployment(self, deployment_id: DeploymentId) -> list[Alert]:
        query = (
            select(AlertRow)
            .where(AlertRow.deployment_id == deployment_id)
            .order_by(AlertRow.raised_at, AlertRow.id)
        )
        return [_alert(row) for row in self.session.scalars(query)]

    def about(self, subject: str) -> list[Alert]:
        """Every alert held on a person reference, oldest first (for redress)."""
        query = select(AlertRow).where(AlertRow.subject == subject).order_by(AlertRow.raised_at)
        return [_alert(row) for row in self.session.scalars(query)]

    def all(self) -> list[Alert]:
        """Every alert still held, oldest first."""
        return [
            _alert(row)
            for row in self.session.scalars(select(AlertRow).order_by(AlertRow.raised_at))
        ]

    def remove(self, alert_id: str) -> tuple[Alert, SealedImage | None] | None:
        """Delete the alert's record and image (flushed, so its vault key may go next); what
        was deleted, or None if it was already gone."""
        row = self.session.get(AlertRow, alert_id)
        if row is None:
            return None
        removed = _alert(row), _image(row)
        self.session.delete(row)
        self.session.flush()
        return removed

    def _row(self, alert_id: str) -> AlertRow:
        row = self.session.get(AlertRow, alert_id)
        if row is None:
            raise NotFound(f"no alert {alert_id!r}")
        return row


def _alert(row: AlertRow) -> Alert:
    return Alert.model_validate(row.data)


def _image(row: AlertRow) -> SealedImage | None:
    if row.image_container is None or row.image is None:
        return None
    return SealedImage(row.image_container, row.image)


def _fill(row: AlertRow, alert: Alert) -> None:
    row.deployment_id, row.camera, row.subject = alert.deployment_id, alert.camera, alert.subject
    row.score, row.status, row.raised_at = alert.score, alert.status.value, alert.raised_at
    row.data = alert.model_dump(mode="json")


class CameraMetricsRepository:
    """Each camera run's counters, replaced at each save of that run."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, deployment_id: DeploymentId, metrics: CameraMetrics, now: datetime) -> None:
        key = (deployment_id, metrics.camera, metrics.run)
        row = self.session.get(CameraRunRow, key)
        if row is None:
            row = CameraRunRow(deployment_id=deployment_id, camera=metrics.camera, run=metrics.run)
            self.session.add(row)
        row.updated_at, row.data = now, metrics.model_dump(mode="json")

    def per_camera(self, deployment_id: DeploymentId) -> list[CameraMetrics]:
        """Per camera, all its runs added up."""
        query = select(CameraRunRow).where(CameraRunRow.deployment_id == deployment_id)
        return per_camera(CameraMetrics.model_validate(r.data) for r in self.session.scalars(query))


class AlreadyDelivered(Exception):
    """This (deployment, track, subject) was recorded before; the transaction must roll back."""


class AlertDeliveries:
    """Which (deployment, track, subject) has been recorded as an alert or a sighting."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, deployment_id: DeploymentId, track: str, subject: str, alert_id: str) -> None:
        """Within the transaction that records it: AlreadyDelivered if the key is taken (by a
        commit, or by a concurrent transaction once that commits)."""
        self.session.flush()  # what is recorded with the key fails on its own account
        self.session.add(
            AlertDeliveryRow(
                deployment_id=deployment_id, track=track, subject=subject, alert_id=alert_id
            )
        )
        try:
            self.session.flush()
        except IntegrityError as taken:
            raise AlreadyDelivered(f"{track} / {subject} is already recorded") from taken

    def recorded(self, deployment_id: DeploymentId, track: str, subject: str) -> str | None:
        """The id of the alert recorded under this key, if any."""
        return self.session.scalar(
            select(AlertDeliveryRow.alert_id).where(
                AlertDeliveryRow.deployment_id == deployment_id,
                AlertDeliveryRow.track == track,
                AlertDeliveryRow.subject == subject,
            )
        )
