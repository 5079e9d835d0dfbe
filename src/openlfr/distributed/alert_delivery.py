"""Alert records that a redelivered message cannot duplicate.

The same `services.alerts` use cases as the embedded engine, run in a unit of work that adds
the (deployment, track, subject) key to the same transaction before committing: a second write
of the same alert or sighting fails on that key and is rolled back whole, audit record included."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from openlfr.domain.alerts import Alert, Sighting
from openlfr.services.alerts import add_sighting, record_alert
from openlfr.store.db import Database
from openlfr.store.delivery_tables import AlertDeliveryRow
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

log = logging.getLogger(__name__)


class KeyedUnitOfWork(UnitOfWork):
    """Commits only if its delivery key is new."""

    def __init__(self, sessions: sessionmaker[Session], key: AlertDeliveryRow) -> None:
        super().__init__(sessions)
        self.key = key

    def commit(self) -> None:
        self.session.add(self.key)
        self.session.flush()
        super().commit()


class IdempotentAlertSink:
    """The `AlertSink` of a matcher service: each alert and sighting recorded at most once."""

    def __init__(self, database: Database, vault: Vault) -> None:
        self._database, self._vault = database, vault

    def raised(self, alert: Alert, image_jpeg: bytes) -> None:
        key = self._key(alert, alert.track, alert.id)
        try:
            record_alert(
                KeyedUnitOfWork(self._database.sessions, key), alert, image_jpeg, self._vault
            )
        except IntegrityError:
            alert.id = self._recorded(alert, alert.track)
            log.info("alert for track %s was already recorded as %s", alert.track, alert.id)

    def sighted(self, alert: Alert, sighting: Sighting) -> None:
        key = self._key(alert, sighting.track, alert.id)
        try:
            add_sighting(KeyedUnitOfWork(self._database.sessions, key), alert.id, sighting)
        except IntegrityError:
            log.info("sighting of track %s was already recorded", sighting.track)

    @staticmethod
    def _key(alert: Alert, track: str, alert_id: str) -> AlertDeliveryRow:
        return AlertDeliveryRow(
            deployment_id=alert.deployment_id, track=track, subject=alert.subject, alert_id=alert_id
        )

    def _recorded(self, alert: Alert, track: str) -> str:
        """The id under which the earlier delivery recorded this alert (the desk adopts it, so
        later sightings join the stored alert)."""
        with self._database.sessions() as session:
            found = session.scalar(
                select(AlertDeliveryRow.alert_id).where(
                    AlertDeliveryRow.deployment_id == alert.deployment_id,
                    AlertDeliveryRow.track == track,
                    AlertDeliveryRow.subject == alert.subject,
                )
            )
        return found or alert.id
