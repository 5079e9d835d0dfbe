"""Equitability evidence in the record: each measurement stored once under its content hash and
a version number, the latest shown to the Authorising Officer, and the version each deployment
relied on recorded against it (audited)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.equitability import EquitabilityEvidence
from openlfr.domain.errors import NotFound, PermissionRefused
from openlfr.domain.roles import Role
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor
from openlfr.store.evidence_tables import DeploymentEvidenceRow, EquitabilityEvidenceRow
from openlfr.store.uow import UnitOfWork

#: Who may file evidence, and who may record which evidence a deployment relied on.
FILERS = (Role.ADMINISTRATOR, Role.DPO)
RECORDERS = (Role.AUTHORISING_OFFICER, Role.GOLD)


def store_evidence(
    uow: UnitOfWork, by: str, evidence: EquitabilityEvidence, now: datetime | None = None
) -> tuple[int, str]:
    """File a measurement; returns (version, digest). Filing the same content again returns
    the version it already has."""
    now = now_or(now)
    digest = evidence.digest
    with uow:
        role = _holding(uow, by, FILERS, "file equitability evidence")
        row = uow.session.get(EquitabilityEvidenceRow, digest)
        if row is not None:
            return row.version, digest
        version = (uow.session.scalar(select(func.max(EquitabilityEvidenceRow.version))) or 0) + 1
        uow.session.add(
            EquitabilityEvidenceRow(
                digest=digest,
                version=version,
                model_id=evidence.model_id,
                threshold=evidence.threshold,
                created_by=by,
                created_at=now,
                document=evidence.model_dump(mode="json"),
            )
        )
        after = {"version": version, "model_id": evidence.model_id, "threshold": evidence.threshold}
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="evidence.filed",
                entity=Entity("equitability", digest),
                before={},
                after=after,
                at=now,
            )
        )
        uow.commit()
    return version, digest


def latest_evidence(uow: UnitOfWork) -> tuple[int, EquitabilityEvidence] | None:
    """What the Authorising Officer is shown: the newest version, or None if none is filed."""
    with uow:
        row = uow.session.scalars(
            select(EquitabilityEvidenceRow).order_by(EquitabilityEvidenceRow.version.desc())
        ).first()
        return (row.version, EquitabilityEvidence.model_validate(row.document)) if row else None


def record_evidence_for_deployment(
    uow: UnitOfWork, by: str, ref: DeploymentRef, digest: str, now: datetime | None = None
) -> None:
    """The deployment's AO or Gold records the evidence version it relied on (replacing any
    earlier record; the audit chain keeps both)."""
    now = now_or(now)
    with uow:
        role = _holding(uow, by, RECORDERS, "record the equitability evidence relied on")
        if uow.session.get(EquitabilityEvidenceRow, digest) is None:
            raise NotFound(f"no equitability evidence {digest!r}")
        deployment = uow.deployments.named(ref)
        row = uow.session.get(DeploymentEvidenceRow, deployment.id)
        before = {"evidence": row.evidence_digest} if row else {}
        if row is None:
            row = DeploymentEvidenceRow(deployment_id=deployment.id)
            uow.session.add(row)
        row.evidence_digest, row.recorded_by, row.recorded_at = digest, by, now
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="evidence.relied_on",
                entity=Entity("deployment", deployment.id),
                before=before,
                after={"evidence": digest},
                at=now,
            )
        )
        uow.commit()


def evidence_relied_on(session: Session, deployment_id: str) -> str | None:
    """'version N, sha256:...' for the deployment, or None if none was recorded."""
    row = session.get(DeploymentEvidenceRow, deployment_id)
    if row is None:
        return None
    version = session.get(EquitabilityEvidenceRow, row.evidence_digest)
    return f"version {version.version if version else '?'}, {row.evidence_digest}"


def _holding(uow: UnitOfWork, by: str, roles: tuple[Role, ...], to: str) -> Role:
    actor = load_actor(uow, by)
    for role in roles:
        if actor.has(role):
            return role
    wanted = " or ".join(r.value for r in roles)
    raise PermissionRefused(f"{by} needs the {wanted} role to {to}")
