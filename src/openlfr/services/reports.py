"""After the deployment: the cancellation report assembled from the record, its submission
through the governance `report` step (frozen in the same transaction), and the public register
built from the submitted reports of published deployments."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime

from sqlalchemy import select

from openlfr.domain import operating
from openlfr.domain.cancellation import (
    AuthorityLine,
    CameraLine,
    CancellationReport,
    DataDeleted,
    DataKept,
    ReportedAlert,
    TimelineEvent,
)
from openlfr.domain.deployment import DecisionKind, Deployment, DeploymentRef, State
from openlfr.domain.errors import TransitionRefused
from openlfr.domain.register import (
    AlertSummary,
    AnnualSummary,
    RegisterEntry,
    annual_summaries,
    compute_metrics,
)
from openlfr.domain.retention import alert_due_at
from openlfr.services.clock import now_or
from openlfr.services.equitability import evidence_relied_on
from openlfr.services.policy import active_policy
from openlfr.services.retention import active_holds, deleted_alerts
from openlfr.services.steps import Step, change_deployment
from openlfr.services.watchlist_destruction import DESTROYED
from openlfr.store.evidence_tables import CancellationReportRow
from openlfr.store.uow import UnitOfWork


def cancellation_report(
    uow: UnitOfWork, ref: DeploymentRef, now: datetime | None = None
) -> CancellationReport:
    """The submitted report as it was frozen; before submission, a draft built now."""
    with uow:
        deployment = uow.deployments.named(ref)
        row = uow.session.get(CancellationReportRow, deployment.id)
        if row is not None:
            return CancellationReport.model_validate(row.document)
        report = assemble(uow, deployment, "", "", now_or(now))
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
        if step.uow.session.get(CancellationReportRow, d.id) is not None:
            raise TransitionRefused(
                f"the cancellation report of {d.reference} is already submitted"
            )
        operating.submit_cancellation_report(d, step.actor, evaluation, step.now)
        report = assemble(step.uow, d, evaluation, lessons, step.now, step.actor.username)
        document = report.model_dump(mode="json")
        body = json.dumps(document, sort_keys=True, separators=(",", ":"))
        step.uow.session.add(
            CancellationReportRow(
                deployment_id=d.id,
                digest="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
                submitted_by=step.actor.username,
                submitted_at=step.now,
                document=document,
            )
        )
        submitted.append(report)

    change_deployment(uow, by, ref, "cancellation_report.submitted", None, change, now_or(now))
    return submitted[0]


def assemble(
    uow: UnitOfWork,
    d: Deployment,
    evaluation: str,
    lessons: str,
    now: datetime,
    submitted_by: str | None = None,
) -> CancellationReport:
    """Within an open unit of work: the report from the record as it stands at `now`."""
    session = uow.session
    decision = d.last_decision(DecisionKind.AUTHORISED)
    if decision is None or decision.written is None:
        raise TransitionRefused(f"{d.reference} has no written authority to report on")
    terms, (window_start, window_end) = decision.written.terms, d.window
    cameras = uow.camera_metrics.per_camera(d.id)
    retention = active_policy(uow, now).retention
    holds = active_holds(session)
    alerts: list[ReportedAlert] = []
    kept: list[DataKept] = []
    for alert in uow.alerts.for_deployment(d.id):
        hold = holds.get(alert.id)
        due_at, rule = alert_due_at(alert, retention)
        if hold is not None:
            status = "held as evidence"
            kept.append(
                DataKept(
                    what=f"alert {alert.id}",
                    reason=hold.reason,
                    review_date=hold.review_date,
                    by=hold.held_by,
                )
            )
        else:
            status = f"kept until {due_at:%Y-%m-%d %H:%M}"
            kept.append(
                DataKept(
                    what=f"alert {alert.id}",
                    reason=f"within its retention period ({rule})",
                    by="policy",
                )
            )
        alerts.append(ReportedAlert(alert=AlertSummary.of(alert), status=status))
    deleted = deleted_alerts(uow, d.id)
    alerts += [
        ReportedAlert(alert=AlertSummary.model_validate(e.after["alert"]), status="deleted")
        for e in deleted
    ]
    alerts.sort(key=lambda item: item.alert.raised_at)
    raised_on = Counter(item.alert.camera for item in alerts)  # the records, in either mode
    imported = d.checklist.watchlist
    return CancellationReport(
        reference=d.reference,
        location=d.current_version.form.place.location,
        use_case=d.intelligence_case.use_case,
        authority=AuthorityLine(
            authorised_by=decision.by,
            authorised_at=decision.at,
            window_start=window_start,
            window_end=window_end,
            threshold=terms.threshold,
            cameras=terms.cameras,
            max_watchlist_size=terms.max_watchlist_size,
            gold=terms.gold,
        ),
        actual_start=d.actual_start,
        actual_end=d.actual_end,
        timeline=sorted(
            [
                *(
                    TimelineEvent(at=e.at, kind=e.kind, by=e.by, detail=e.reason)
                    for e in d.live_events
                ),
                *(
                    TimelineEvent(
                        at=gap.started,
                        kind="camera stream lost",
                        by=camera.camera,
                        detail=f"{gap.reason}; back at "
                        + (f"{gap.ended:%H:%M:%S}" if gap.ended else "never"),
                    )
                    for camera in cameras
                    for gap in camera.gaps
                ),
            ],
            key=lambda e: e.at,
        ),
        cameras=[
            CameraLine(
                camera=c.camera,
                faces_seen=c.faces_seen,
                frames_processed=c.frames_processed,
                frames_dropped=c.frames_dropped,
                reconnects=c.reconnects,
                alerts=raised_on[c.camera],
            )
            for c in cameras
        ],
        metrics=compute_metrics(
            (item.alert for item in alerts),
            faces_seen=sum(c.faces_seen for c in cameras),
            watchlist_size=imported.size if imported else 0,
            threshold=terms.threshold,
            use_case=d.intelligence_case.use_case,
            start=d.actual_start,
            end=d.actual_end,
        ),
        alerts=alerts,
        deleted=[
            *(
                DataDeleted(
                    what=f"watchlist snapshot {e.entity_id}",
                    at=e.at,
                    by=e.actor,
                    detail=f"{e.after['records']} records, {e.after['images']} images; "
                    f"{e.after['reason']}",
                )
                for e in uow.audit.history("watchlist_snapshot")
                if e.action == DESTROYED and e.after.get("deployment") == d.reference
            ),
            *(
                DataDeleted(
                    what=f"alert {e.entity_id} (image and record)",
                    at=e.at,
                    by=e.actor,
                    detail=e.after["rule"],
                )
                for e in deleted
            ),
        ],
        kept=kept,
        equitability_evidence=evidence_relied_on(session, d.id),
        evaluation=evaluation,
        lessons=lessons,
        generated_at=now,
        submitted_by=submitted_by,
    )


def register_entries(uow: UnitOfWork) -> list[RegisterEntry]:
    """The public register: every published deployment, oldest first, from its frozen report."""
    with uow:
        published = {d.id for d in uow.deployments.list(State.PUBLISHED)}
        reports = [
            CancellationReport.model_validate(row.document)
            for row in uow.session.scalars(select(CancellationReportRow))
            if row.deployment_id in published
        ]
    entries = [
        RegisterEntry(reference=r.reference, location=r.location, metrics=r.metrics)
        for r in reports
    ]
    return sorted(entries, key=lambda e: (e.metrics.start is None, e.metrics.start, e.reference))


def annual_report(uow: UnitOfWork) -> list[AnnualSummary]:
    return annual_summaries(register_entries(uow))
