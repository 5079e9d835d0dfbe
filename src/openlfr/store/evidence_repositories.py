"""The post-deployment record as one unit of work sees it: evidence holds on alerts, the filed
equitability evidence and what each deployment relied on, and the frozen cancellation reports.
Domain values in and out; each row is mapped here and nowhere else."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openlfr.domain.cancellation import CancellationReport
from openlfr.domain.deployment import DeploymentId
from openlfr.domain.equitability import EquitabilityEvidence, EvidenceReliedOn
from openlfr.domain.retention import EvidenceHold
from openlfr.store.evidence_tables import (
    CancellationReportRow,
    DeploymentEvidenceRow,
    EquitabilityEvidenceRow,
    EvidenceHoldRow,
)


class EvidenceHolds:
    """Alerts kept past their retention period; a released hold stays, marked released."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, hold: EvidenceHold) -> None:
        self.session.add(EvidenceHoldRow(id=str(uuid.uuid4()), **hold.model_dump()))

    def active(self) -> dict[str, EvidenceHold]:
        """The alerts held as evidence now, by alert id, oldest hold first."""
        return {row.alert_id: _hold(row) for row in self._open()}

    def held(self, alert_id: str) -> EvidenceHold | None:
        """The alert's open hold, if it has one."""
        rows = self._open(alert_id)
        return _hold(rows[0]) if rows else None

    def release(self, alert_id: str, by: str, at: datetime, reason: str) -> None:
        for row in self._open(alert_id):
            row.released_by, row.released_at, row.release_reason = by, at, reason

    def _open(self, alert_id: str | None = None) -> list[EvidenceHoldRow]:
        query = select(EvidenceHoldRow).where(EvidenceHoldRow.released_at.is_(None))
        if alert_id is not None:
            query = query.where(EvidenceHoldRow.alert_id == alert_id)
        return list(self.session.scalars(query.order_by(EvidenceHoldRow.held_at)))


def _hold(row: EvidenceHoldRow) -> EvidenceHold:
    return EvidenceHold(
        alert_id=row.alert_id,
        deployment_id=DeploymentId(row.deployment_id),
        reason=row.reason,
        review_date=row.review_date,
        held_by=row.held_by,
        held_at=_aware(row.held_at),
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time this system stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class EquitabilityRecord:
    """Filed equitability evidence, one version per content digest, and per deployment the
    version it relied on."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def version_of(self, digest: str) -> int | None:
        row = self.session.get(EquitabilityEvidenceRow, digest)
        return None if row is None else row.version

    def file(self, evidence: EquitabilityEvidence, by: str, now: datetime) -> int:
        """Store a new measurement under the next version number; returns that number."""
        latest = self.session.scalar(select(func.max(EquitabilityEvidenceRow.version)))
        version = (latest or 0) + 1
        self.session.add(
            EquitabilityEvidenceRow(
                digest=evidence.digest,
                version=version,
                model_id=evidence.model_id,
                threshold=evidence.threshold,
                created_by=by,
                created_at=now,
                document=evidence.model_dump(mode="json"),
            )
        )
        return version

    def latest(self) -> tuple[int, EquitabilityEvidence] | None:
        query = select(EquitabilityEvidenceRow).order_by(EquitabilityEvidenceRow.version.desc())
        row = self.session.scalars(query).first()
        return (row.version, EquitabilityEvidence.model_validate(row.document)) if row else None

    def relied_on(self, deployment_id: DeploymentId) -> EvidenceReliedOn | None:
        row = self.session.get(DeploymentEvidenceRow, deployment_id)
        if row is None:
            return None
        return EvidenceReliedOn(row.evidence_digest, self.version_of(row.evidence_digest))

    def rely_on(self, deployment_id: DeploymentId, digest: str, by: str, now: datetime) -> None:
        """Record (or replace) the evidence the deployment relied on."""
        row = self.session.get(DeploymentEvidenceRow, deployment_id)
        if row is None:
            row = DeploymentEvidenceRow(deployment_id=deployment_id)
            self.session.add(row)
        row.evidence_digest, row.recorded_by, row.recorded_at = digest, by, now


class CancellationReports:
    """Each deployment's cancellation report as submitted, with its SHA-256; never edited."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def submitted(self, deployment_id: DeploymentId) -> CancellationReport | None:
        row = self.session.get(CancellationReportRow, deployment_id)
        return None if row is None else CancellationReport.model_validate(row.document)

    def freeze(
        self, deployment_id: DeploymentId, report: CancellationReport, by: str, at: datetime
    ) -> None:
        document = report.model_dump(mode="json")
        body = json.dumps(document, sort_keys=True, separators=(",", ":"))
        self.session.add(
            CancellationReportRow(
                deployment_id=deployment_id,
                digest="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
                submitted_by=by,
                submitted_at=at,
                document=document,
            )
        )

    def of(self, deployment_ids: Collection[DeploymentId]) -> list[CancellationReport]:
        """The submitted reports of these deployments."""
        return [
            CancellationReport.model_validate(row.document)
            for row in self.session.scalars(select(CancellationReportRow))
            if row.deployment_id in deployment_ids
        ]
