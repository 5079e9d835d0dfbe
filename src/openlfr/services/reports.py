"""After the deployment: the cancellation report assembled from the record, its submission
through the governance `report` step (frozen in the same transaction), and the public register
built from the submitted reports of published deployments."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain import operating
from openlfr.domain.cancellation import (
    CancellationReport,
    DeploymentRecord,
    assemble,
    register_of,
)
from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.errors import TransitionRefused
from openlfr.domain.register import AnnualSummary, RegisterEntry, annual_summaries
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.services.retention import deleted_alerts
from openlfr.services.steps import Step, change_deployment
from openlfr.services.watchlist_destruction import DESTROYED
from openlfr.store.uow import UnitOfWork


def cancellation_report(
    uow: UnitOfWork, ref: DeploymentRef, now: datetime | None = None
) -> CancellationReport:
    """The submitted report as it was frozen; before submission, a draft built now."""
    now = now_or(now)
    with uow:
        deployment = uow.deployments.named(ref)
        submitted = uow.cancellation_reports.submitted(deployment.id)
        if submitted is not None:
            return submitted
        report = assemble(record_of(uow, deployment, now), "", "", now)
        uow.commit()
    return report


def submit_report(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    evaluation: str,
    lessons: str,
    now: datetime | None = None,
) -> CancellationReport:
    """Gold submits Form 1 Part 3: the governance `report` step and the frozen report, one
    transaction. Only Gold's evaluation and lessons are typed; the rest comes from the record."""
    submitted: list[CancellationReport] = []

    def change(d: Deployment, step: Step) -> None:
        reports = step.uow.cancellation_reports
        if reports.submitted(d.id) is not None:
            raise TransitionRefused(
                f"the cancellation report of {d.reference} is already submitted"
            )
        operating.submit_cancellation_report(d, step.actor, evaluation, step.now)
        by = step.actor.username
        report = assemble(record_of(step.uow, d, step.now), evaluation, lessons, step.now, by)
        reports.freeze(d.id, report, by, step.now)
        submitted.append(report)

    change_deployment(uow, by, ref, "cancellation_report.submitted", None, change, now_or(now))
    return submitted[0]


def record_of(uow: UnitOfWork, d: Deployment, now: datetime) -> DeploymentRecord:
    """Within an open unit of work: what the record holds about the deployment at `now`."""
    return DeploymentRecord(
        deployment=d,
        alerts=uow.alerts.for_deployment(d.id),
        cameras=uow.camera_metrics.per_camera(d.id),
        holds=uow.evidence_holds.active(),
        deleted=deleted_alerts(uow, d.id),
        destroyed=[
            e
            for e in uow.audit.history("watchlist_snapshot")
            if e.action == DESTROYED and e.after.get("deployment") == d.reference
        ],
        evidence=uow.equitability.relied_on(d.id),
        retention=active_policy(uow, now).retention,
    )


def register_entries(uow: UnitOfWork) -> list[RegisterEntry]:
    """The public register: every published deployment, oldest first, from its frozen report."""
    with uow:
        published = {d.id for d in uow.deployments.list(State.PUBLISHED)}
        return register_of(uow.cancellation_reports.of(published))


def annual_report(uow: UnitOfWork) -> list[AnnualSummary]:
    return annual_summaries(register_entries(uow))
