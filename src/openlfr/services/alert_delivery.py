"""Alert records that a redelivered message cannot duplicate (the matchers' use cases).

A matcher that dies after recording an alert but before acknowledging its message has the
message redelivered to another. So each alert or sighting is recorded, as the embedded engine
records it, together with its (deployment, track, subject) key in one transaction: a second
write of the same key is rolled back whole, audit record included, and pages no one."""

from __future__ import annotations

import logging
from collections.abc import Callable

from openlfr.domain.alerts import Alert, Sighting
from openlfr.services.alerts import join_sighting, keep_raised
from openlfr.store.alert_repositories import AlreadyDelivered
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

log = logging.getLogger(__name__)


def record_alert_once(uow: UnitOfWork, alert: Alert, image_jpeg: bytes, vault: Vault) -> Alert:
    """Record the alert unless its track already raised one; then `alert` takes the id recorded
    first (the desk adopts it, so later sightings join the stored alert)."""
    if _once(uow, alert, alert.track, lambda: keep_raised(uow, alert, image_jpeg, vault)):
        return alert
    with uow:
        first = uow.alert_deliveries.recorded(alert.deployment_id, alert.track, alert.subject)
    alert.id = first or alert.id
    log.info("alert for track %s was already recorded as %s", alert.track, alert.id)
    return alert


def add_sighting_once(uow: UnitOfWork, alert: Alert, sighting: Sighting) -> None:
    """Add the sighting to the alert unless this track's sighting is already recorded."""
    if not _once(uow, alert, sighting.track, lambda: join_sighting(uow, alert.id, sighting)):
        log.info("sighting of track %s was already recorded", sighting.track)


def _once(uow: UnitOfWork, alert: Alert, track: str, record: Callable[[], object]) -> bool:
    """`record` and the delivery key in one transaction; False (nothing written) if the key
    was already taken."""
    try:
        with uow:
            record()
            uow.alert_deliveries.claim(alert.deployment_id, track, alert.subject, alert.id)
            uow.commit()
    except AlreadyDelivered:
        return False
    return True


class IdempotentAlertSink:
    """The `AlertSink` of a matcher service: each alert and sighting recorded at most once
    (one unit of work per call, as `alerts.StoreAlertSink`)."""

    def __init__(self, database: Database, vault: Vault) -> None:
        self._database, self._vault = database, vault

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._database.sessions)

    def raised(self, alert: Alert, image_jpeg: bytes) -> None:
        record_alert_once(self._uow(), alert, image_jpeg, self._vault)

    def sighted(self, alert: Alert, sighting: Sighting) -> None:
        add_sighting_once(self._uow(), alert, sighting)
