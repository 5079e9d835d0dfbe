"""The cancellation report (Form 1 Part 3) as typed data, and how it is assembled from the
record: pure, so what the report counts is written once and tested without a database.

Everything but Gold's evaluation and lessons is taken from what was recorded (the deployment,
the alerts, the camera counters, the audit chain's deletion receipts, the evidence holds), so
nothing in it is retyped. Once submitted it is frozen; the public register is built from the
frozen reports, so it survives the deletion of the alerts it counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.alerts import Alert
from openlfr.domain.audit import AuditEntry
from openlfr.domain.deployment import DecisionKind, Deployment
from openlfr.domain.equitability import EvidenceReliedOn
from openlfr.domain.errors import TransitionRefused
from openlfr.domain.metrics import CameraMetrics
from openlfr.domain.policy import Retention
from openlfr.domain.register import (
    AlertSummary,
    DeploymentMetrics,
    RegisterEntry,
    compute_metrics,
)
from openlfr.domain.retention import EvidenceHold, alert_due_at


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuthorityLine(_Part):
    authorised_by: str
    authorised_at: AwareDatetime
    window_start: AwareDatetime
    window_end: AwareDatetime
    threshold: float
    cameras: list[str]
    max_watchlist_size: int
    gold: str


class TimelineEvent(_Part):
    """A start, pause, resume or stop by Gold, or a camera's loss of stream."""

    at: AwareDatetime
    kind: str
    by: str
    detail: str = ""


class CameraLine(_Part):
    camera: str
    faces_seen: int
    frames_processed: int
    frames_dropped: int
    reconnects: int
    alerts: int


class ReportedAlert(_Part):
    alert: AlertSummary
    status: str
    """'held as evidence', 'kept until its retention date' or 'deleted'."""


class DataDeleted(_Part):
    what: str
    at: str
    by: str
    detail: str


class DataKept(_Part):
    what: str
    reason: str
    review_date: date | None = None
    by: str


class CancellationReport(_Part):
    reference: str
    location: str
    use_case: str
    authority: AuthorityLine
    actual_start: AwareDatetime | None
    actual_end: AwareDatetime | None
    timeline: list[TimelineEvent]
    cameras: list[CameraLine]
    metrics: DeploymentMetrics
    alerts: list[ReportedAlert]
    deleted: list[DataDeleted]
    kept: list[DataKept]
    equitability_evidence: str | None
    evaluation: str
    lessons: str
    generated_at: AwareDatetime
    submitted_by: str | None = None


@dataclass(frozen=True)
class DeploymentRecord:
    """What the record holds about one deployment at the time of the report."""

    deployment: Deployment
    alerts: list[Alert]
    """Its alerts still held."""
    cameras: list[CameraMetrics]
    """Its cameras' counters, one line per camera."""
    holds: Mapping[str, EvidenceHold]
    """The evidence holds in force, by alert id."""
    deleted: list[AuditEntry]
    """The receipts of its deleted alerts (`after["alert"]` an `AlertSummary`)."""
    destroyed: list[AuditEntry]
    """The receipts of its destroyed watchlist snapshots."""
    evidence: EvidenceReliedOn | None
    retention: Retention


def assemble(
    record: DeploymentRecord,
    evaluation: str,
    lessons: str,
    now: datetime,
    submitted_by: str | None = None,
) -> CancellationReport:
    """The report from the record as it stands at `now`; refused without a written authority."""
    d = record.deployment
    decision = d.last_decision(DecisionKind.AUTHORISED)
    if decision is None or decision.written is None:
        raise TransitionRefused(f"{d.reference} has no written authority to report on")
    terms, (window_start, window_end) = decision.written.terms, d.window
    alerts, kept = account_for_alerts(record.alerts, record.holds, record.deleted, record.retention)
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
        timeline=_timeline(d, record.cameras),
        cameras=_camera_lines(record.cameras, alerts),
        metrics=compute_metrics(
            (item.alert for item in alerts),
            faces_seen=sum(c.faces_seen for c in record.cameras),
            watchlist_size=imported.size if imported else 0,
            threshold=terms.threshold,
            use_case=d.intelligence_case.use_case,
            start=d.actual_start,
            end=d.actual_end,
        ),
        alerts=alerts,
        deleted=_data_deleted(record.destroyed, record.deleted),
        kept=kept,
        equitability_evidence=str(record.evidence) if record.evidence else None,
        evaluation=evaluation,
        lessons=lessons,
        generated_at=now,
        submitted_by=submitted_by,
    )


def account_for_alerts(
    held: Iterable[Alert],
    holds: Mapping[str, EvidenceHold],
    deleted: Iterable[AuditEntry],
    retention: Retention,
) -> tuple[list[ReportedAlert], list[DataKept]]:
    """Every alert the deployment raised, oldest first, with what became of its data: held as
    evidence, kept until its retention date, or deleted (from its receipt); and, for each one
    still kept, why."""
    alerts: list[ReportedAlert] = []
    kept: list[DataKept] = []
    for alert in held:
        hold = holds.get(alert.id)
        what = f"alert {alert.id}"
        if hold is not None:
            status = "held as evidence"
            kept.append(
                DataKept(
                    what=what, reason=hold.reason, review_date=hold.review_date, by=hold.held_by
                )
            )
        else:
            due_at, rule = alert_due_at(alert, retention)
            status = f"kept until {due_at:%Y-%m-%d %H:%M}"
            kept.append(
                DataKept(what=what, reason=f"within its retention period ({rule})", by="policy")
            )
        alerts.append(ReportedAlert(alert=AlertSummary.of(alert), status=status))
    alerts += [
        ReportedAlert(alert=AlertSummary.model_validate(e.after["alert"]), status="deleted")
        for e in deleted
    ]
    alerts.sort(key=lambda item: item.alert.raised_at)
    return alerts, kept


def _timeline(d: Deployment, cameras: list[CameraMetrics]) -> list[TimelineEvent]:
    """Gold's starts, pauses, resumes and stops, and every camera's lost streams, in time."""
    events = [TimelineEvent(at=e.at, kind=e.kind, by=e.by, detail=e.reason) for e in d.live_events]
    events += [
        TimelineEvent(
            at=gap.started,
            kind="camera stream lost",
            by=camera.camera,
            detail=f"{gap.reason}; back at " + (f"{gap.ended:%H:%M:%S}" if gap.ended else "never"),
        )
        for camera in cameras
        for gap in camera.gaps
    ]
    return sorted(events, key=lambda e: e.at)


def _camera_lines(cameras: list[CameraMetrics], alerts: list[ReportedAlert]) -> list[CameraLine]:
    raised_on = Counter(item.alert.camera for item in alerts)  # the records, in either mode
    return [
        CameraLine(
            camera=c.camera,
            faces_seen=c.faces_seen,
            frames_processed=c.frames_processed,
            frames_dropped=c.frames_dropped,
            reconnects=c.reconnects,
            alerts=raised_on[c.camera],
        )
        for c in cameras
    ]


def _data_deleted(destroyed: list[AuditEntry], deleted: list[AuditEntry]) -> list[DataDeleted]:
    snapshots = [
        DataDeleted(
            what=f"watchlist snapshot {e.entity_id}",
            at=e.at,
            by=e.actor,
            detail=f"{e.after['records']} records, {e.after['images']} images; {e.after['reason']}",
        )
        for e in destroyed
    ]
    alerts = [
        DataDeleted(
            what=f"alert {e.entity_id} (image and record)",
            at=e.at,
            by=e.actor,
            detail=e.after["rule"],
        )
        for e in deleted
    ]
    return snapshots + alerts


def register_of(reports: Iterable[CancellationReport]) -> list[RegisterEntry]:
    """The public register's lines from the published deployments' frozen reports: place and
    figures, by start (never started last), then reference."""
    entries = [
        RegisterEntry(reference=r.reference, location=r.location, metrics=r.metrics)
        for r in reports
    ]
    return sorted(entries, key=lambda e: (e.metrics.start is None, e.metrics.start, e.reference))
