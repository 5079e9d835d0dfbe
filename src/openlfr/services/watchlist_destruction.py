"""Destroying a deployment's watchlist snapshot, with a receipt in the audit chain.

The snapshot's images and templates are deleted and its data key is destroyed (so any copy
left in free pages, the WAL or a later backup is noise); the references and categories stay,
for redress. The receipt records counts, the snapshot hash and a SHA-256 digest of the
destroyed ciphertexts, so an auditor can later show *what* was destroyed, when and by whom."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef
from openlfr.domain.retention import FINISHED, keeper_role, watchlist_deadline
from openlfr.domain.roles import SYSTEM, Actor, Role
from openlfr.domain.watchlist import WatchlistRefused
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.services.steps import load_actor
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

DESTROYED = "watchlist.destroyed"


@dataclass(frozen=True)
class DestructionReceipt:
    snapshot_id: str
    deployment: str
    snapshot_hash: str
    records: int
    templates: int
    images: int
    ciphertext_sha256: str
    destroyed_at: str
    destroyed_by: str
    reason: str
    deadline: str | None
    overdue: bool


def destroy_snapshot(
    uow: UnitOfWork,
    snapshot_id: str,
    vault: Vault,
    by: Actor,
    role: Role,
    reason: str,
    deployment: Deployment,
    now: datetime,
) -> DestructionReceipt:
    """Within the caller's open unit of work (not committed here): shred one snapshot."""
    snapshot = uow.snapshots.get(snapshot_id)
    if snapshot is None or snapshot.destroyed_at is not None:
        raise WatchlistRefused([f"snapshot {snapshot_id} does not exist or is already destroyed"])
    digest, templates = hashlib.sha256(), 0
    for image, template in uow.snapshots.sealed(snapshot_id):
        digest.update(image)
        digest.update(template)
        templates += 1
    uow.snapshots.destroy(snapshot_id, by.username, now)
    if snapshot.container_id is not None:
        vault.destroy(uow.vault_keys, snapshot.container_id)
    deadline = watchlist_deadline(deployment, active_policy(uow, now).retention)
    receipt = DestructionReceipt(
        snapshot_id=snapshot_id,
        deployment=deployment.reference,
        snapshot_hash=snapshot.hash,
        records=snapshot.size,
        templates=templates,
        images=templates,
        ciphertext_sha256=digest.hexdigest(),
        destroyed_at=now.isoformat(),
        destroyed_by=by.username,
        reason=reason,
        deadline=deadline.isoformat() if deadline else None,
        overdue=deadline is not None and now > deadline,
    )
    before = {"snapshot_hash": snapshot.hash, "size": snapshot.size}
    uow.audit.record(
        AuditEvent(
            actor=by.username,
            role=role,
            action=DESTROYED,
            entity=Entity("watchlist_snapshot", snapshot_id),
            before=before,
            after=asdict(receipt),
            at=now,
        )
    )
    return receipt


def destroy_for_deployment(
    uow: UnitOfWork, by: str, ref: DeploymentRef, vault: Vault, now: datetime | None = None
) -> list[DestructionReceipt]:
    """After the deployment (closed, published, rejected or lapsed): destroy every snapshot it
    still has. The deployment's Gold, the DPO, or the system sweep may do it."""
    now = now_or(now)
    with uow:
        actor = load_actor(uow, by)
        deployment = uow.deployments.named(ref)
        role = keeper_role(actor, deployment, "destroy its watchlist")
        if deployment.state not in FINISHED:
            raise WatchlistRefused(
                [
                    f"{deployment.reference} is {deployment.state.value}; its watchlist is "
                    "destroyed once it is closed"
                ]
            )
        receipts = [
            destroy_snapshot(uow, sid, vault, actor, role, "deployment finished", deployment, now)
            for sid in live_snapshot_ids(uow, deployment.id)
        ]
        uow.commit()
    uow.shred_leftovers()
    return receipts


def destroy_due(
    uow: UnitOfWork, vault: Vault, now: datetime | None = None
) -> list[DestructionReceipt]:
    """The sweep (run it from cron): every finished deployment's remaining snapshots."""
    with uow:
        keys = [
            d.reference
            for d in uow.deployments.list(None)
            if d.state in FINISHED and live_snapshot_ids(uow, d.id)
        ]
    return [
        r for key in keys for r in destroy_for_deployment(uow, SYSTEM.username, key, vault, now)
    ]


def receipts(uow: UnitOfWork, snapshot_id: str | None = None) -> list[DestructionReceipt]:
    """The destruction receipts in the audit chain (of one snapshot, if given)."""
    with uow:
        entries = uow.audit.history("watchlist_snapshot", snapshot_id)
    return [DestructionReceipt(**e.after) for e in entries if e.action == DESTROYED]


def live_snapshot_ids(uow: UnitOfWork, deployment_id: DeploymentId) -> list[str]:
    """The deployment's snapshots not yet destroyed (within the caller's unit of work)."""
    return uow.snapshots.live_ids(deployment_id)
