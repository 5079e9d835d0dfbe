"""A deployment's watchlist: the frozen snapshot built from the pool within the authority, the
only thing the live engine may load, and the redress question the DPO answers afterwards.

Snapshot: the records `domain.snapshot_selection` takes (those that fit the authority on the
window's start date, not stale, not under an unresolved duplicate flag, no more than the
authorised size), re-encrypted under a data key of its own and frozen by `snapshot_hash`. One
deployment step stores it, records it as the deployment's imported watchlist and destroys any
earlier snapshot of the deployment as superseded."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.biometrics.index import TemplateIndex
from openlfr.domain import operating
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.authorising import require_authority_in_force
from openlfr.domain.command import WatchlistImport
from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.permissions import require_post, require_role
from openlfr.domain.roles import Role
from openlfr.domain.snapshot_selection import Exclusion, Selection, select_for_snapshot
from openlfr.domain.watchlist import Snapshot, WatchlistRefused, snapshot_hash
from openlfr.services.clock import now_or
from openlfr.services.steps import Step, change_deployment, load_actor, post_of
from openlfr.services.watchlist_destruction import destroy_snapshot
from openlfr.services.watchlist_vetting import image_context
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.store.watchlist_repositories import SealedEnrolment, SealedRecord

#: Deployment states in which the live engine may hold the watchlist.
LOADABLE = frozenset({State.AUTHORISED, State.READY, State.LIVE, State.PAUSED})


@dataclass
class SnapshotReport:
    snapshot_id: str
    snapshot_hash: str
    size: int
    categories: list[str]
    special_categories: list[str]
    false_alerts: str
    excluded: list[Exclusion] = field(default_factory=list)


@dataclass(frozen=True)
class LiveWatchlist:
    """What the live engine holds: the index (subjects are record references), the hash it
    must present to the run gate, and the watchlist image for an operator's alert view."""

    index: TemplateIndex
    snapshot_hash: str
    size: int
    model_id: str
    threshold: float
    false_alerts: str
    _image: Callable[[str, int], bytes]

    def image(self, reference: str, position: int = 0) -> bytes:
        """The decrypted watchlist image of a record (for the alert view only)."""
        return self._image(reference, position)


@dataclass(frozen=True)
class RedressEntry:
    deployment: str
    snapshot_hash: str
    category: str
    special_categories: list[str]
    built_at: datetime
    destroyed_at: datetime | None


def false_alert_statement(threshold: float, size: int, model_id: str = SFACE_SPEC.model_id) -> str:
    """Expected false alerts per 10,000 passers-by, from the model's calibration table."""
    try:
        return calibration.load(model_id).statement(threshold, size)
    except calibration.CalibrationError as exc:
        return f"no false-alert estimate: {exc}"


def build_snapshot(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    vault: Vault,
    references: list[str] | None = None,
    now: datetime | None = None,
) -> SnapshotReport:
    """Gold or Silver freezes the deployment's watchlist. Named `references` must all fit the
    authority (else refused); without them, every pool record that fits is taken. One step:
    the snapshot is stored, recorded as the deployment's imported watchlist, and any earlier
    snapshot destroyed as superseded, or (refused) none of it."""
    built: list[SnapshotReport] = []

    def change(deployment: Deployment, step: Step) -> None:
        deployment.begin("checklist")
        require_authority_in_force(deployment, step.now)
        holders = [deployment.command.gold, *deployment.command.silver]
        require_post(step.actor, holders, "Gold or Silver", "build the watchlist")
        report = _freeze(step, deployment, vault, references)
        imported = WatchlistImport(
            snapshot_hash=report.snapshot_hash,
            size=report.size,
            categories=report.categories,
            special_categories=report.special_categories,
        )
        operating.record_watchlist_import(deployment, step.actor, imported, step.now)
        _destroy_superseded(step, deployment, vault, keep=report.snapshot_id)
        built.append(report)

    change_deployment(uow, by, ref, "checklist.watchlist_imported", None, change, now_or(now))
    uow.shred_leftovers()
    return built[0]


def _freeze(
    step: Step, deployment: Deployment, vault: Vault, references: list[str] | None
) -> SnapshotReport:
    """Select from the pool under the authority, store the snapshot sealed under a container of
    its own, and audit it."""
    uow, terms = step.uow, deployment.terms
    pool = {s.record.reference: s for s in uow.watchlist_pool.sealed(references)}
    selection = select_for_snapshot(
        [s.record for s in pool.values()],
        uow.duplicates.unresolved(),
        terms,
        deployment.window[0].date(),
        references,
    )
    if selection.problems:
        raise WatchlistRefused(selection.problems)
    snapshot = _store(step, deployment, vault, selection, pool)
    report = SnapshotReport(
        snapshot.id,
        snapshot.hash,
        snapshot.size,
        list(snapshot.categories),
        list(snapshot.special_categories),
        false_alert_statement(terms.threshold, snapshot.size),
        list(selection.excluded),
    )
    uow.audit.record(
        AuditEvent(
            actor=step.actor.username,
            role=post_of(deployment, step.actor),
            action="watchlist.snapshot_built",
            entity=Entity("watchlist_snapshot", report.snapshot_id),
            after={
                "deployment": deployment.reference,
                "snapshot_hash": report.snapshot_hash,
                "size": report.size,
                "categories": report.categories,
                "special_categories": report.special_categories,
                "excluded": {e.reference: list(e.reasons) for e in report.excluded},
            },
            at=step.now,
        )
    )
    return report


def _store(
    step: Step,
    deployment: Deployment,
    vault: Vault,
    selection: Selection,
    pool: dict[str, SealedRecord],
) -> Snapshot:
    """The chosen records' images and templates, opened from the pool and sealed again under
    the snapshot's own container; frozen by the hash of its references and templates."""
    snapshot_id, box = str(uuid.uuid4()), vault.new_container(step.uow.vault_keys, step.now)
    sealed, hashed = [], []
    for record in selection.chosen:
        pooled = pool[record.reference]
        for image in pooled.images:
            at = (record.reference, image.position)
            plain_image = vault.decrypt(pooled.container, image.image, image_context(*at, "image"))
            template = vault.decrypt(
                pooled.container, image.template, image_context(*at, "template")
            )
            context = functools.partial(_context, snapshot_id, *at)
            hashed.append((record.reference, template))
            sealed.append(
                SealedEnrolment(
                    record.reference,
                    image.position,
                    vault.encrypt(box, plain_image, context("image")),
                    vault.encrypt(box, template, context("template")),
                )
            )
    snapshot = Snapshot(
        id=snapshot_id,
        deployment_id=deployment.id,
        hash=snapshot_hash(hashed),
        size=len(selection.chosen),
        model_id=SFACE_SPEC.model_id,
        categories=tuple(selection.categories),
        special_categories=tuple(selection.special_categories),
        container_id=box.id,
        built_by=step.actor.username,
        built_at=step.now,
    )
    step.uow.snapshots.add(snapshot, selection.entries, sealed)
    return snapshot


def _context(snapshot_id: str, reference: str, position: int, kind: str) -> bytes:
    return f"snapshot:{snapshot_id}:{reference}:{position}:{kind}".encode()


def _destroy_superseded(step: Step, deployment: Deployment, vault: Vault, keep: str) -> None:
    role = post_of(deployment, step.actor)
    for snapshot_id in step.uow.snapshots.live_ids(deployment.id):
        if snapshot_id != keep:
            reason = "superseded by a newer snapshot"
            destroy_snapshot(
                step.uow, snapshot_id, vault, step.actor, role, reason, deployment, step.now
            )


def load_live_watchlist(uow: UnitOfWork, ref: DeploymentRef, vault: Vault) -> LiveWatchlist:
    """The frozen snapshot imported for an authorised deployment, decrypted into an index;
    refused (WatchlistRefused, with the reason) for anything else."""
    with uow:
        deployment = uow.deployments.named(ref)
        if deployment.state not in LOADABLE:
            raise WatchlistRefused(
                [
                    f"{deployment.reference} is {deployment.state.value}; a watchlist is loaded "
                    "only for an authorised, ready, live or paused deployment"
                ]
            )
        imported = deployment.checklist.watchlist
        if imported is None:
            raise WatchlistRefused([f"{deployment.reference} has no imported watchlist"])
        frozen = uow.snapshots.frozen(deployment.id, imported.snapshot_hash)
        if frozen is None or frozen.container_id is None:
            raise WatchlistRefused(
                [
                    f"no frozen snapshot {imported.snapshot_hash} for {deployment.reference}: "
                    "build and import the watchlist again"
                ]
            )
        box = vault.container(uow.vault_keys, frozen.container_id)
        entries = []
        for sealed in uow.snapshots.templates(frozen.id):
            context = _context(frozen.id, sealed.reference, sealed.position, "template")
            entries.append((sealed.reference, vault.decrypt(box, sealed.template, context)))
    if snapshot_hash(entries) != frozen.hash:
        raise WatchlistRefused(
            [f"snapshot {frozen.hash} was altered: its content no longer matches"]
        )
    index = TemplateIndex(
        [ref for ref, _ in entries], np.vstack([np.frombuffer(t, np.float32) for _, t in entries])
    )
    threshold = deployment.terms.threshold

    def image(reference: str, position: int) -> bytes:
        with uow:
            blob = uow.snapshots.image(frozen.id, reference, position)
            if blob is None:
                raise WatchlistRefused([f"{reference} has no image {position} in this watchlist"])
            container = vault.container(uow.vault_keys, box.id)
        return vault.decrypt(container, blob, _context(frozen.id, reference, position, "image"))

    return LiveWatchlist(
        index,
        frozen.hash,
        frozen.size,
        frozen.model_id,
        threshold,
        false_alert_statement(threshold, frozen.size, frozen.model_id),
        image,
    )


def expected_false_alerts(uow: UnitOfWork, ref: DeploymentRef) -> str:
    """For the web console: the statement for the deployment's imported watchlist."""
    with uow:
        deployment = uow.deployments.named(ref)
    imported = deployment.checklist.watchlist
    if imported is None:
        return f"{deployment.reference} has no imported watchlist yet"
    return false_alert_statement(deployment.terms.threshold, imported.size)


def listings(uow: UnitOfWork, person_reference: str) -> list[RedressEntry]:
    """Within the caller's unit of work: every deployment whose watchlist held the person,
    from references alone (kept after the snapshots are destroyed)."""
    return [
        RedressEntry(
            uow.deployments.get(snapshot.deployment_id).reference,
            snapshot.hash,
            entry.category,
            list(entry.special_categories),
            snapshot.built_at,
            snapshot.destroyed_at,
        )
        for snapshot, entry in uow.snapshots.listing(person_reference)
    ]


def redress_query(
    uow: UnitOfWork, dpo: str, person_reference: str, now: datetime | None = None
) -> list[RedressEntry]:
    """ "Was this person on the watchlist of any deployment?", from references alone. The
    question itself is audited."""
    now = now_or(now)
    with uow:
        require_role(load_actor(uow, dpo), Role.DPO, "answer a redress request")
        found = listings(uow, person_reference)
        uow.audit.record(
            AuditEvent(
                actor=dpo,
                role=Role.DPO,
                action="watchlist.redress_query",
                entity=Entity("watchlist_person", person_reference),
                after={"deployments": [e.deployment for e in found]},
                at=now,
            )
        )
        uow.commit()
    return found
