"""A deployment's watchlist: the frozen snapshot built from the pool within the authority, the
only thing the live engine may load, and the redress question the DPO answers afterwards.

Snapshot: records that fit the authorised categories and special categories (computed at the
window's start date), not stale, not under an unresolved duplicate flag, no more than the
authorised size; re-encrypted under a data key of its own and frozen by `snapshot_hash`. It is
then recorded as the deployment's imported watchlist (`operations.record_watchlist_import`);
an earlier snapshot of the same deployment is destroyed as superseded."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import insert, select

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.biometrics.index import TemplateIndex
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.authorising import require_authority_in_force
from openlfr.domain.command import WatchlistImport
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef, State
from openlfr.domain.errors import GovernanceError
from openlfr.domain.permissions import require_post, require_role
from openlfr.domain.roles import Role
from openlfr.domain.watchlist import (
    ImageSource,
    WatchlistImage,
    WatchlistRecord,
    WatchlistRefused,
    composition_problems,
    snapshot_hash,
)
from openlfr.services import operations
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor, post_of
from openlfr.services.watchlist_destruction import destroy_snapshot, live_snapshot_ids
from openlfr.services.watchlist_vetting import image_context
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Container, Vault
from openlfr.store.vault_keys import VaultKeyRow
from openlfr.store.watchlist_tables import (
    DuplicateFlagRow,
    SnapshotEntryRow,
    SnapshotRow,
    SnapshotTemplateRow,
    WatchlistImageRow,
    WatchlistRecordRow,
)

#: Deployment states in which the live engine may hold the watchlist.
LOADABLE = frozenset({State.AUTHORISED, State.READY, State.LIVE, State.PAUSED})


@dataclass(frozen=True)
class Exclusion:
    reference: str
    reasons: tuple[str, ...]


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
class _Frozen:
    id: str
    hash: str
    size: int
    model_id: str


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
    authority (else refused); without them, every pool record that fits is taken."""
    now = now_or(now)
    with uow:
        deployment = uow.deployments.named(ref)
        actor = load_actor(uow, by)
        deployment.begin("checklist")
        require_authority_in_force(deployment, now)
        holders = [deployment.command.gold, *deployment.command.silver]
        require_post(actor, holders, "Gold or Silver", "build the watchlist")
        report = _freeze(uow, deployment, vault, references, by, now)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=post_of(deployment, actor),
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
                at=now,
            )
        )
        uow.commit()
    imported = WatchlistImport(
        snapshot_hash=report.snapshot_hash,
        size=report.size,
        categories=report.categories,
        special_categories=report.special_categories,
    )
    try:
        operations.record_watchlist_import(uow, by, ref, imported, now=now)
    except GovernanceError:
        _destroy_others(uow, by, ref, vault, keep=None, now=now, only=report.snapshot_id)
        raise
    _destroy_others(uow, by, ref, vault, keep=report.snapshot_id, now=now)
    return report


def _freeze(
    uow: UnitOfWork,
    deployment: Deployment,
    vault: Vault,
    references: list[str] | None,
    by: str,
    now: datetime,
) -> SnapshotReport:
    terms, on = deployment.terms, deployment.window[0].date()
    pool = _pool(uow, vault, references)
    problems = [f"{ref}: not in the watchlist pool" for ref in references or [] if ref not in pool]
    flagged = _unresolved_duplicates(uow)
    chosen, excluded = [], []
    for ref, (record, images) in sorted(pool.items()):
        misfit = composition_problems(record, terms, on)
        if misfit and references is not None:
            problems.extend(f"{ref}: {p}" for p in misfit)
        reasons = [*misfit]
        if record.is_stale(on):
            reasons.append(
                f"review date {record.review_date} has passed: is this person still sought?"
            )
        if ref in flagged:
            reasons.append(f"possible duplicate of {', '.join(sorted(flagged[ref]))}: resolve it")
        if reasons:
            excluded.append(Exclusion(ref, tuple(reasons)))
        else:
            chosen.append((record, images))
    if len(chosen) > terms.max_watchlist_size:
        problems.append(
            f"{len(chosen)} records exceed the authorised maximum {terms.max_watchlist_size}"
        )
    if not chosen and not problems:
        problems.append("no record in the pool fits the authorised composition")
    if problems:
        raise WatchlistRefused(problems)
    return _store_snapshot(uow, deployment, vault, chosen, excluded, terms.threshold, by, now)


def _store_snapshot(
    uow: UnitOfWork,
    deployment: Deployment,
    vault: Vault,
    chosen: list[tuple[WatchlistRecord, list[tuple[bytes, bytes]]]],
    excluded: list[Exclusion],
    threshold: float,
    by: str,
    now: datetime,
) -> SnapshotReport:
    session, snapshot_id = uow.session, str(uuid.uuid4())
    box = vault.new_container(uow.vault_keys, now)
    entries, templates, hashed = [], [], []
    categories: set[str] = set()
    specials: set[str] = set()
    on = deployment.window[0].date()
    for record, images in chosen:
        special = sorted(record.special_categories(on))
        categories.add(record.category)
        specials.update(special)
        entries.append(
            {
                "snapshot_id": snapshot_id,
                "reference": record.reference,
                "category": record.category,
                "special_categories": special,
            }
        )
        for position, (image, template) in enumerate(images):
            context = functools.partial(_context, snapshot_id, record.reference, position)
            hashed.append((record.reference, template))
            templates.append(
                {
                    "snapshot_id": snapshot_id,
                    "reference": record.reference,
                    "position": position,
                    "image": vault.encrypt(box, image, context("image")),
                    "template": vault.encrypt(box, template, context("template")),
                }
            )
    frozen = snapshot_hash(hashed)
    session.add(
        SnapshotRow(
            id=snapshot_id,
            deployment_id=deployment.id,
            hash=frozen,
            size=len(chosen),
            model_id=SFACE_SPEC.model_id,
            categories=sorted(categories),
            special_categories=sorted(specials),
            container_id=box.id,
            built_by=by,
            built_at=now,
        )
    )
    session.flush()
    for start in range(0, len(entries), 1000):
        session.execute(insert(SnapshotEntryRow), entries[start : start + 1000])
    for start in range(0, len(templates), 1000):
        session.execute(insert(SnapshotTemplateRow), templates[start : start + 1000])
    return SnapshotReport(
        snapshot_id,
        frozen,
        len(chosen),
        sorted(categories),
        sorted(specials),
        false_alert_statement(threshold, len(chosen)),
        excluded,
    )


def _context(snapshot_id: str, reference: str, position: int, kind: str) -> bytes:
    return f"snapshot:{snapshot_id}:{reference}:{position}:{kind}".encode()


Pooled = dict[str, tuple[WatchlistRecord, list[tuple[bytes, bytes]]]]


def _pool(uow: UnitOfWork, vault: Vault, references: list[str] | None) -> Pooled:
    """Pool records (all, or those named) with their decrypted images and templates."""
    query = (
        select(WatchlistRecordRow, WatchlistImageRow, VaultKeyRow.wrapped_key)
        .join(WatchlistImageRow, WatchlistImageRow.reference == WatchlistRecordRow.reference)
        .join(VaultKeyRow, VaultKeyRow.id == WatchlistRecordRow.container_id)
        .order_by(WatchlistRecordRow.reference, WatchlistImageRow.position)
    )
    if references is not None:
        query = query.where(WatchlistRecordRow.reference.in_(references))
    rows: dict[str, list[tuple[WatchlistRecordRow, WatchlistImageRow, bytes]]] = {}
    for record, image, wrapped in uow.session.execute(query):
        rows.setdefault(record.reference, []).append((record, image, wrapped))
    pooled: Pooled = {}
    for reference, members in rows.items():
        record_row = members[0][0]
        box = Container(record_row.container_id, members[0][2])
        images = [
            WatchlistImage(file=i.file, source=ImageSource(i.source), captured_on=i.captured_on)
            for _, i, _ in members
        ]
        record = WatchlistRecord(
            reference=reference,
            category=record_row.category,
            legal_basis=record_row.legal_basis,
            date_of_birth=record_row.date_of_birth,
            disabled=record_row.disabled,
            gender_transition=record_row.gender_transition,
            review_date=record_row.review_date,
            images=tuple(images),
        )
        blobs = [
            (
                vault.decrypt(box, i.image, image_context(reference, i.position, "image")),
                vault.decrypt(box, i.template, image_context(reference, i.position, "template")),
            )
            for _, i, _ in members
        ]
        pooled[reference] = (record, blobs)
    return pooled


def _unresolved_duplicates(uow: UnitOfWork) -> dict[str, set[str]]:
    flagged: dict[str, set[str]] = {}
    for flag in uow.session.scalars(
        select(DuplicateFlagRow).where(DuplicateFlagRow.resolved_at.is_(None))
    ):
        flagged.setdefault(flag.reference_a, set()).add(flag.reference_b)
        flagged.setdefault(flag.reference_b, set()).add(flag.reference_a)
    return flagged


def _destroy_others(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    vault: Vault,
    keep: str | None,
    now: datetime,
    only: str | None = None,
) -> None:
    """Destroy the deployment's superseded snapshots (or, `only`, one that failed to import)."""
    with uow:
        deployment = uow.deployments.named(ref)
        actor = load_actor(uow, by)
        targets = [only] if only else live_snapshot_ids(uow, deployment.id)
        reason = "not imported" if only else "superseded by a newer snapshot"
        for snapshot_id in targets:
            if snapshot_id != keep:
                role = post_of(deployment, actor)
                destroy_snapshot(uow, snapshot_id, vault, actor, role, reason, deployment, now)
        uow.commit()


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
        snapshot = uow.session.scalars(
            select(SnapshotRow).where(
                SnapshotRow.deployment_id == deployment.id,
                SnapshotRow.hash == imported.snapshot_hash,
                SnapshotRow.destroyed_at.is_(None),
                SnapshotRow.container_id.is_not(None),
            )
        ).first()
        if snapshot is None or snapshot.container_id is None:
            raise WatchlistRefused(
                [
                    f"no frozen snapshot {imported.snapshot_hash} for {deployment.reference}: "
                    "build and import the watchlist again"
                ]
            )
        box = vault.container(uow.vault_keys, snapshot.container_id)
        frozen = _Frozen(snapshot.id, snapshot.hash, snapshot.size, snapshot.model_id)
        rows = uow.session.execute(
            select(
                SnapshotTemplateRow.reference,
                SnapshotTemplateRow.position,
                SnapshotTemplateRow.template,
            ).where(SnapshotTemplateRow.snapshot_id == frozen.id)
        )
        entries = [
            (ref, vault.decrypt(box, blob, _context(frozen.id, ref, pos, "template")))
            for ref, pos, blob in rows
        ]
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
            blob = uow.session.scalar(
                select(SnapshotTemplateRow.image).where(
                    SnapshotTemplateRow.snapshot_id == frozen.id,
                    SnapshotTemplateRow.reference == reference,
                    SnapshotTemplateRow.position == position,
                )
            )
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


def redress_query(
    uow: UnitOfWork, dpo: str, person_reference: str, now: datetime | None = None
) -> list[RedressEntry]:
    """ "Was this person on the watchlist of any deployment?", from references alone. The
    question itself is audited."""
    now = now_or(now)
    with uow:
        require_role(load_actor(uow, dpo), Role.DPO, "answer a redress request")
        query = (
            select(SnapshotEntryRow, SnapshotRow)
            .join(SnapshotRow, SnapshotRow.id == SnapshotEntryRow.snapshot_id)
            .where(SnapshotEntryRow.reference == person_reference)
            .order_by(SnapshotRow.built_at)
        )
        found = []
        for entry, snapshot in uow.session.execute(query):
            deployment = uow.deployments.get(DeploymentId(snapshot.deployment_id))
            found.append(
                RedressEntry(
                    deployment.reference,
                    snapshot.hash,
                    entry.category,
                    list(entry.special_categories),
                    snapshot.built_at,
                    snapshot.destroyed_at,
                )
            )
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
