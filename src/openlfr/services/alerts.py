"""Alert use cases: record what the engine raised, adjudicate, record the engagement, view the
image, list, and keep the camera metrics. Each is one transaction with its audit record; every
view of an alert image is audited too, because it is a look at a person's face."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from openlfr.domain import alerts as rules
from openlfr.domain.alerts import Alert, Outcome, Sighting, Verdict
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import DeploymentId, DeploymentRef
from openlfr.domain.metrics import CameraMetrics
from openlfr.domain.permissions import require_post
from openlfr.domain.roles import Actor, Role
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor, post_of
from openlfr.store.alert_repositories import SealedImage
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

ENGINE = "live-engine"
"""The actor recorded for what the engine does by itself (raising alerts, counting)."""

#: Posts on a deployment whose holders may look at its alert images.
VIEWING_POSTS = (Role.GOLD, Role.SILVER, Role.BRONZE, Role.OPERATOR, Role.ENGAGEMENT_OFFICER)


def _image_context(alert_id: str) -> bytes:
    return f"alert:{alert_id}:best-shot".encode()


def _summary(alert: Alert) -> dict[str, object]:
    """What the audit trail says about an alert: references and scores, never pixels."""
    return {
        "subject": alert.subject,
        "camera": alert.camera,
        "track": alert.track,
        "score": round(alert.score, 4),
        "status": alert.status.value,
    }


def record_alert(uow: UnitOfWork, alert: Alert, image_jpeg: bytes, vault: Vault) -> Alert:
    """Store a new alert with its best-shot image encrypted under a container of its own."""
    with uow:
        keep_raised(uow, alert, image_jpeg, vault)
        uow.commit()
    return alert


def add_sighting(uow: UnitOfWork, alert_id: str, sighting: Sighting) -> Alert:
    """The subject was seen again in the alert's episode: add it, page no one again."""
    with uow:
        alert = join_sighting(uow, alert_id, sighting)
        uow.commit()
    return alert


def keep_raised(uow: UnitOfWork, alert: Alert, image_jpeg: bytes, vault: Vault) -> None:
    """Within an open unit of work (not committed here): the alert, its sealed image and its
    audit record."""
    container = vault.new_container(uow.vault_keys, alert.raised_at)
    sealed = vault.encrypt(container, image_jpeg, _image_context(alert.id))
    uow.alerts.add(alert, SealedImage(container.id, sealed))
    uow.audit.record(
        AuditEvent(
            actor=ENGINE,
            role=ENGINE,
            action="alert.raised",
            entity=Entity("alert", alert.id),
            before={},
            after=_summary(alert),
            at=alert.raised_at,
        )
    )


def join_sighting(uow: UnitOfWork, alert_id: str, sighting: Sighting) -> Alert:
    """Within an open unit of work (not committed here): the sighting added, and audited."""
    alert = uow.alerts.get(alert_id)
    rules.add_sighting(alert, sighting)
    uow.alerts.save(alert)
    uow.audit.record(
        AuditEvent(
            actor=ENGINE,
            role=ENGINE,
            action="alert.sighting_added",
            entity=Entity("alert", alert_id),
            before={},
            after={"sighting": sighting.model_dump(mode="json")},
            at=sighting.at,
        )
    )
    return alert


def _decide(
    uow: UnitOfWork,
    by: str,
    alert_id: str,
    post: Role,
    action: str,
    at: datetime,
    apply: Callable[[Alert, Actor, list[str]], BaseModel | None],
) -> Alert:
    """One human decision on an alert by the holder of `post` on its deployment: the domain rule
    (`apply`, given the post's holders) decides, and the change and its audit record commit
    together."""
    with uow:
        alert = uow.alerts.get(alert_id)
        deployment = uow.deployments.get(alert.deployment_id)
        record = apply(alert, load_actor(uow, by), deployment.command.holders(post))
        uow.alerts.save(alert)
        after = record.model_dump(mode="json") if record else {}
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=post,
                action=action,
                entity=Entity("alert", alert_id),
                before={},
                after=after,
                at=at,
            )
        )
        uow.commit()
    return alert


def adjudicate(
    uow: UnitOfWork,
    by: str,
    alert_id: str,
    verdict: Verdict,
    note: str = "",
    now: datetime | None = None,
) -> Alert:
    """The operator's verdict: true or false alert."""
    at = now_or(now)

    def apply(alert: Alert, actor: Actor, operators: list[str]) -> BaseModel | None:
        rules.adjudicate(alert, actor, operators, verdict, at, note)
        return alert.adjudication

    return _decide(uow, by, alert_id, Role.OPERATOR, "alert.adjudicated", at, apply)


def record_engagement(
    uow: UnitOfWork,
    by: str,
    alert_id: str,
    *,
    engaged: bool,
    identity_checked: bool = False,
    outcome: Outcome | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Alert:
    """The engagement officer's record: engaged or not, identity checked or not, outcome."""
    at = now_or(now)

    def apply(alert: Alert, actor: Actor, officers: list[str]) -> BaseModel | None:
        rules.record_engagement(
            alert,
            actor,
            officers,
            engaged=engaged,
            identity_checked=identity_checked,
            outcome=outcome,
            now=at,
            note=note,
        )
        return alert.engagement

    return _decide(
        uow, by, alert_id, Role.ENGAGEMENT_OFFICER, "alert.engagement_recorded", at, apply
    )


def view_alert_image(
    uow: UnitOfWork, by: str, alert_id: str, vault: Vault, now: datetime | None = None
) -> bytes:
    """The best-shot JPEG, for a holder of a post on the alert's deployment; the view is audited
    in the same transaction, so no image leaves without its record."""
    at = now_or(now)
    with uow:
        alert = uow.alerts.get(alert_id)
        deployment = uow.deployments.get(alert.deployment_id)
        actor = load_actor(uow, by)
        holders = [name for post in VIEWING_POSTS for name in deployment.command.holders(post)]
        require_post(actor, holders, "command and operators", "view its alert images")
        sealed = uow.alerts.image(alert_id)
        if sealed is None:
            raise rules.AlertRefused(f"alert {alert_id} has no image (it was deleted)")
        container = vault.container(uow.vault_keys, sealed.container_id)
        image = vault.decrypt(container, sealed.ciphertext, _image_context(alert_id))
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=post_of(deployment, actor),
                action="alert.image_viewed",
                entity=Entity("alert", alert_id),
                before={},
                after={"subject": alert.subject},
                at=at,
            )
        )
        uow.commit()
    return image


def list_alerts(uow: UnitOfWork, ref: DeploymentRef) -> list[Alert]:
    with uow:
        deployment = uow.deployments.named(ref)
        return uow.alerts.for_deployment(deployment.id)


def get_alert(uow: UnitOfWork, alert_id: str) -> Alert:
    with uow:
        return uow.alerts.get(alert_id)


def record_metrics(
    uow: UnitOfWork,
    deployment_id: DeploymentId,
    metrics: CameraMetrics,
    now: datetime | None = None,
) -> None:
    """Save a camera's counters (replacing the last save), with the counts in the audit trail."""
    at = now_or(now)
    with uow:
        deployment = uow.deployments.get(deployment_id)
        uow.camera_metrics.save(deployment.id, metrics, at)
        after = metrics.model_dump(mode="json", exclude={"gaps"}) | {"gaps": len(metrics.gaps)}
        uow.audit.record(
            AuditEvent(
                actor=ENGINE,
                role=ENGINE,
                action="camera.metrics",
                entity=Entity("deployment", deployment.id),
                before={},
                after=after,
                at=at,
            )
        )
        uow.commit()


def camera_metrics(uow: UnitOfWork, ref: DeploymentRef) -> list[CameraMetrics]:
    with uow:
        deployment = uow.deployments.named(ref)
        return uow.camera_metrics.per_camera(deployment.id)


class StoreAlertSink:
    """The live engine's alert sink backed by the database and the vault (one unit of work per
    call, so each alert is committed, audited and visible to the console at once)."""

    def __init__(self, database: Database, vault: Vault) -> None:
        self._database = database
        self._vault = vault

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._database.sessions)

    def raised(self, alert: Alert, image_jpeg: bytes) -> None:
        record_alert(self._uow(), alert, image_jpeg, self._vault)

    def sighted(self, alert: Alert, sighting: Sighting) -> None:
        add_sighting(self._uow(), alert.id, sighting)


class StoreMetricsSink:
    """The live engine's metrics sink: each camera's counters saved (and audited) as it runs."""

    def __init__(self, database: Database, deployment_id: DeploymentId) -> None:
        self._database, self._deployment_id = database, deployment_id

    def record(self, metrics: CameraMetrics) -> None:
        record_metrics(UnitOfWork(self._database.sessions), self._deployment_id, metrics)
