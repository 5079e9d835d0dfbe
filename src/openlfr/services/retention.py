"""Retention enforced, not promised: what is due for deletion, deleting it with a receipt in the
audit chain, and evidence holds (the only way to keep an alert past its period).

Periods come from the policy (`policy.retention`) and what is due from `domain.retention`: a
false alert goes after `match_data_hours`, every other alert, image and record, after
`alert_with_footage_days`; a watchlist snapshot goes at the first run after its deployment is
finished (the watchlist area's destruction; deadline `watchlist_hours_after_close`). A held
alert is kept until the hold is released; a hold past its review date is reported, never
silently dropped."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

from pydantic import BaseModel

from openlfr.domain.audit import AuditEntry, AuditEvent, Entity
from openlfr.domain.errors import NotFound, TransitionRefused
from openlfr.domain.register import AlertSummary
from openlfr.domain.retention import (
    FINISHED,
    DueItem,
    EvidenceHold,
    RetentionSchedule,
    keeper_role,
    new_hold,
    require_release_reason,
    retention_schedule,
)
from openlfr.domain.roles import SYSTEM, Role
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.services.steps import load_actor
from openlfr.services.watchlist_destruction import (
    DestructionReceipt,
    destroy_due,
    live_snapshot_ids,
)
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

ALERT_DELETED = "retention.alert_deleted"
log = logging.getLogger(__name__)


class RetentionRun(BaseModel):
    """What one run deleted; each item also has its receipt in the audit chain."""

    alerts_deleted: list[str]
    watchlist_receipts: list[dict[str, object]]


def schedule(uow: UnitOfWork, now: datetime | None = None) -> RetentionSchedule:
    """`openlfr retention report`: what is due now, what later, what is held and why."""
    now = now_or(now)
    with uow:
        retention = active_policy(uow, now).retention
        deployments = uow.deployments.list(None)
        live = {d.id: live_snapshot_ids(uow, d.id) for d in deployments if d.state in FINISHED}
        alerts, holds = uow.alerts.all(), uow.evidence_holds.active()
        plan = retention_schedule(now, retention, deployments, alerts, live, holds)
        uow.commit()
    return plan


def run_due(
    uow_factory: Callable[[], UnitOfWork], vault: Vault, now: datetime | None = None
) -> RetentionRun:
    """Delete everything due at `now`: one transaction (and one receipt) per alert, then the
    watchlist sweep. Safe to call again: what is gone is no longer due."""
    now = now_or(now)
    due = [i for i in schedule(uow_factory(), now).due if i.kind == "alert"]
    deleted = [_delete_alert(uow_factory(), item, vault, now) for item in due]
    receipts: list[DestructionReceipt] = destroy_due(uow_factory(), vault, now)
    return RetentionRun(alerts_deleted=deleted, watchlist_receipts=[r.__dict__ for r in receipts])


def hold_as_evidence(
    uow: UnitOfWork,
    actor: str,
    alert_id: str,
    reason: str,
    review_date: date,
    now: datetime | None = None,
) -> EvidenceHold:
    """Keep an alert past its period as evidence. Only the deployment's Gold or the DPO, with a
    reason and a review date in the future."""
    now = now_or(now)
    with uow:
        alert = uow.alerts.get(alert_id)
        deployment = uow.deployments.get(alert.deployment_id)
        role = keeper_role(load_actor(uow, actor), deployment, "hold its alerts as evidence")
        if uow.evidence_holds.held(alert_id) is not None:
            raise TransitionRefused(f"alert {alert_id} is already held as evidence")
        hold = new_hold(alert, actor, reason, review_date, now)
        uow.evidence_holds.add(hold)
        after = hold.model_dump(mode="json")
        uow.audit.record(
            AuditEvent(
                actor=actor,
                role=role,
                action="evidence.held",
                entity=Entity("alert", alert_id),
                before={},
                after=after,
                at=now,
            )
        )
        uow.commit()
    return hold


def release_hold(
    uow: UnitOfWork, actor: str, alert_id: str, reason: str, now: datetime | None = None
) -> None:
    """End an evidence hold (case closed, or not needed): the alert is then due as usual."""
    now = now_or(now)
    require_release_reason(reason)
    with uow:
        hold = uow.evidence_holds.held(alert_id)
        if hold is None:
            raise NotFound(f"alert {alert_id} is not held as evidence")
        deployment = uow.deployments.get(hold.deployment_id)
        role = keeper_role(load_actor(uow, actor), deployment, "release an evidence hold")
        uow.evidence_holds.release(alert_id, actor, now, reason)
        after = {"reason": reason}
        uow.audit.record(
            AuditEvent(
                actor=actor,
                role=role,
                action="evidence.released",
                entity=Entity("alert", alert_id),
                before={},
                after=after,
                at=now,
            )
        )
        uow.commit()


def deleted_alerts(uow: UnitOfWork, deployment_id: str | None = None) -> list[AuditEntry]:
    """The receipts of deleted alerts in the audit chain; `after["alert"]` is what is kept of
    each (an `AlertSummary`: references, verdict, outcome)."""
    return [
        entry
        for entry in uow.audit.history("alert")
        if entry.action == ALERT_DELETED
        and deployment_id in (None, entry.after["alert"]["deployment_id"])
    ]


class RetentionScheduler:
    """Runs `run_due` every `interval` seconds on a daemon thread; the web server starts it at
    start-up and stops it at shutdown. A failed run is logged and retried next time."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        vault: Vault,
        interval: float = 900.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._uow_factory, self._vault, self._interval, self._clock = (
            uow_factory,
            vault,
            interval,
            clock,
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="retention", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_due(self._uow_factory, self._vault, self._clock())
            except Exception:
                log.exception("retention run failed; it will be retried")
            self.runs += 1
            self._stop.wait(self._interval)


def _delete_alert(uow: UnitOfWork, item: DueItem, vault: Vault, now: datetime) -> str:
    """Shred the image (its vault key goes), delete the record, leave a receipt."""
    with uow:
        if uow.evidence_holds.held(item.entity_id) is not None:
            return item.entity_id
        removed = uow.alerts.remove(item.entity_id)
        if removed is None:
            return item.entity_id
        alert, image = removed
        image_sha256 = hashlib.sha256(image.ciphertext).hexdigest() if image else None
        if image is not None:
            vault.destroy(uow.vault_keys, image.container_id)
        summary = AlertSummary.of(alert)
        before = {"image_sha256": image_sha256, "due_at": item.due_at.isoformat()}
        after = {
            "alert": summary.model_dump(mode="json"),
            "deployment": item.deployment,
            "rule": item.rule,
        }
        uow.audit.record(
            AuditEvent(
                actor=SYSTEM.username,
                role=Role.ADMINISTRATOR,
                action=ALERT_DELETED,
                entity=Entity("alert", item.entity_id),
                before=before,
                after=after,
                at=now,
            )
        )
        uow.commit()
    return item.entity_id
