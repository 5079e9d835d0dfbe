"""Authority to register: command, checklist, the live period, closure, report and publication.
Also the run gate the live engine asks before processing any face."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain import operating
from openlfr.domain.command import ChecklistItem, WatchlistImport
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.roles import Role
from openlfr.domain.run_gate import RunPermit, authorise_run
from openlfr.services.clock import now_or
from openlfr.services.steps import Step, change_deployment
from openlfr.store.uow import UnitOfWork


def appoint(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    post: Role,
    people: list[str],
    now: datetime | None = None,
) -> Deployment:
    """Gold appoints Silver, Bronze, operators or engagement officers (replacing that post)."""

    def change(d: Deployment, step: Step) -> None:
        appointees = [step.person(username) for username in people]
        operating.appoint(d, step.actor, post, appointees, step.now)

    return change_deployment(
        uow, by, ref, f"command.appointed.{post.value}", Role.GOLD, change, now_or(now)
    )


def tick(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    item: ChecklistItem,
    note: str = "",
    waived: bool = False,
    now: datetime | None = None,
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.tick(d, step.actor, item, note, step.now, waived)

    return change_deployment(uow, by, ref, f"checklist.{item.value}", None, change, now_or(now))


def record_watchlist_import(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    imported: WatchlistImport,
    now: datetime | None = None,
) -> Deployment:
    """Called by the watchlist area once the frozen snapshot is imported."""

    def change(d: Deployment, step: Step) -> None:
        operating.record_watchlist_import(d, step.actor, imported, step.now)

    return change_deployment(
        uow, by, ref, "checklist.watchlist_imported", None, change, now_or(now)
    )


def record_cameras(
    uow: UnitOfWork, by: str, ref: DeploymentRef, cameras: list[str], now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.record_cameras(d, step.actor, cameras, step.now)

    return change_deployment(uow, by, ref, "checklist.cameras", None, change, now_or(now))


def mark_ready(
    uow: UnitOfWork, by: str, ref: DeploymentRef, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.mark_ready(d, step.actor)

    return change_deployment(uow, by, ref, "deployment.ready", Role.GOLD, change, now_or(now))


def start(uow: UnitOfWork, by: str, ref: DeploymentRef, now: datetime | None = None) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.start(d, step.actor, step.now)

    return change_deployment(uow, by, ref, "deployment.started", Role.GOLD, change, now_or(now))


def start_cameras(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    sources: dict[str, str],
    snapshot_hash: str,
    threshold: float,
    now: datetime | None = None,
) -> Deployment:
    """Checked and recorded before the engine reads a frame (`openlfr live run`, the console)."""

    def change(d: Deployment, step: Step) -> None:
        operating.start_cameras(d, step.actor, sources, snapshot_hash, threshold, step.now)

    return change_deployment(uow, by, ref, "cameras.started", None, change, now_or(now))


def pause(
    uow: UnitOfWork, by: str, ref: DeploymentRef, reason: str, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.pause(d, step.actor, reason, step.now)

    return change_deployment(uow, by, ref, "deployment.paused", Role.GOLD, change, now_or(now))


def resume(uow: UnitOfWork, by: str, ref: DeploymentRef, now: datetime | None = None) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.resume(d, step.actor, step.now)

    return change_deployment(uow, by, ref, "deployment.resumed", Role.GOLD, change, now_or(now))


def stop(
    uow: UnitOfWork, by: str, ref: DeploymentRef, reason: str, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.stop(d, step.actor, reason, step.now)

    return change_deployment(uow, by, ref, "deployment.stopped", Role.GOLD, change, now_or(now))


def close(
    uow: UnitOfWork, by: str, ref: DeploymentRef, summary: str = "", now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.close(d, step.actor, summary, step.now)

    return change_deployment(uow, by, ref, "deployment.closed", Role.GOLD, change, now_or(now))


def submit_cancellation_report(
    uow: UnitOfWork, by: str, ref: DeploymentRef, summary: str, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.submit_cancellation_report(d, step.actor, summary, step.now)

    return change_deployment(
        uow, by, ref, "cancellation_report.submitted", Role.GOLD, change, now_or(now)
    )


def publish(
    uow: UnitOfWork, by: str, ref: DeploymentRef, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        operating.publish(d, step.actor, step.now)

    return change_deployment(uow, by, ref, "register.published", Role.GOLD, change, now_or(now))


def run_permit(
    uow: UnitOfWork,
    ref: DeploymentRef,
    camera_id: str,
    snapshot_hash: str,
    threshold: float,
    now: datetime | None = None,
) -> RunPermit:
    """Load the deployment and ask the domain gate; raises RunRefused with the reason."""
    with uow:
        deployment = uow.deployments.named(ref)
    return authorise_run(deployment, now_or(now), camera_id, snapshot_hash, threshold)
