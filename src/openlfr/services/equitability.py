"""Equitability evidence in the record: each measurement stored once under its content hash and
a version number, the latest shown to the Authorising Officer, and the version each deployment
relied on recorded against it (audited)."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.equitability import FILERS, RECORDERS, EquitabilityEvidence, acting_role
from openlfr.domain.errors import NotFound
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor
from openlfr.store.uow import UnitOfWork


def store_evidence(
    uow: UnitOfWork, by: str, evidence: EquitabilityEvidence, now: datetime | None = None
) -> tuple[int, str]:
    """File a measurement; returns (version, digest). Filing the same content again returns
    the version it already has."""
    now = now_or(now)
    digest = evidence.digest
    with uow:
        role = acting_role(load_actor(uow, by), FILERS, "file equitability evidence")
        filed = uow.equitability.version_of(digest)
        if filed is not None:
            return filed, digest
        version = uow.equitability.file(evidence, by, now)
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
        return uow.equitability.latest()


def record_evidence_for_deployment(
    uow: UnitOfWork, by: str, ref: DeploymentRef, digest: str, now: datetime | None = None
) -> None:
    """The deployment's AO or Gold records the evidence version it relied on (replacing any
    earlier record; the audit chain keeps both)."""
    now = now_or(now)
    with uow:
        to = "record the equitability evidence relied on"
        role = acting_role(load_actor(uow, by), RECORDERS, to)
        if uow.equitability.version_of(digest) is None:
            raise NotFound(f"no equitability evidence {digest!r}")
        deployment = uow.deployments.named(ref)
        earlier = uow.equitability.relied_on(deployment.id)
        uow.equitability.rely_on(deployment.id, digest, by, now)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="evidence.relied_on",
                entity=Entity("deployment", deployment.id),
                before={"evidence": earlier.digest} if earlier else {},
                after={"evidence": digest},
                at=now,
            )
        )
        uow.commit()
