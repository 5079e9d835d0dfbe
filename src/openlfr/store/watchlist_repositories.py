"""The watchlist area's repositories: the force's pool, its duplicate flags and the deployments'
snapshots, as domain values in and out. Images and templates cross this line only as vault
ciphertext (`SealedEnrolment`: an enrolment image and its template), with the container whose
data key opens them; sealing and opening them is the services' work, with the vault."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from openlfr.domain.deployment import DeploymentId
from openlfr.domain.watchlist import (
    Duplicate,
    ImageSource,
    Snapshot,
    SnapshotEntry,
    WatchlistImage,
    WatchlistRecord,
)
from openlfr.store.vault import Container
from openlfr.store.vault_keys import VaultKeyRow
from openlfr.store.watchlist_tables import (
    DuplicateFlagRow,
    SnapshotEntryRow,
    SnapshotRow,
    SnapshotTemplateRow,
    WatchlistImageRow,
    WatchlistRecordRow,
)

#: Rows written per statement when storing many at once.
BATCH = 500
T = TypeVar("T")


@dataclass(frozen=True)
class SealedEnrolment:
    """One image of a record and its template, as vault ciphertext, at its place."""

    reference: str
    position: int
    image: bytes
    template: bytes


@dataclass(frozen=True)
class SealedTemplate:
    reference: str
    position: int
    template: bytes


@dataclass(frozen=True)
class SealedRecord:
    """A pool record with its images sealed under its own container."""

    record: WatchlistRecord
    container: Container
    images: tuple[SealedEnrolment, ...]


class WatchlistPool:
    """The force's vetted records, each under its own vault container."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def present(self, references: Collection[str]) -> list[str]:
        """Which of these references the pool already holds."""
        query = select(WatchlistRecordRow.reference).where(
            WatchlistRecordRow.reference.in_(references)
        )
        return list(self.session.scalars(query))

    def put(self, records: Iterable[SealedRecord], by: str, now: datetime) -> None:
        """Store records, replacing any of the same reference, a batch at a time (`records` may
        be a generator that seals each as it is taken)."""
        for chunk in _batches(records):
            references = [sealed.record.reference for sealed in chunk]
            self.session.execute(
                delete(WatchlistRecordRow).where(WatchlistRecordRow.reference.in_(references))
            )
            self.session.flush()  # the containers' keys, before the rows that name them
            rows = [_record_columns(s.record, s.container, by, now) for s in chunk]
            images = [
                _image_columns(meta, sealed)
                for s in chunk
                for meta, sealed in zip(s.record.images, s.images, strict=True)
            ]
            self.session.execute(insert(WatchlistRecordRow), rows)
            self.session.execute(insert(WatchlistImageRow), images)

    def sealed(self, references: Collection[str] | None = None) -> list[SealedRecord]:
        """Records (all, or those named) with their sealed images, by reference."""
        query = (
            select(WatchlistRecordRow, WatchlistImageRow, VaultKeyRow.wrapped_key)
            .join(WatchlistImageRow, WatchlistImageRow.reference == WatchlistRecordRow.reference)
            .join(VaultKeyRow, VaultKeyRow.id == WatchlistRecordRow.container_id)
            .order_by(WatchlistRecordRow.reference, WatchlistImageRow.position)
        )
        if references is not None:
            query = query.where(WatchlistRecordRow.reference.in_(references))
        grouped: dict[str, list[tuple[WatchlistRecordRow, WatchlistImageRow, bytes]]] = {}
        for record, image, wrapped in self.session.execute(query):
            grouped.setdefault(record.reference, []).append((record, image, wrapped))
        return [_sealed_record(members) for members in grouped.values()]

    def templates(self) -> Iterator[tuple[Container, SealedTemplate]]:
        """Every sealed template in the pool, with its record's container."""
        query = (
            select(
                WatchlistImageRow.reference,
                WatchlistImageRow.position,
                WatchlistImageRow.template,
                VaultKeyRow.id,
                VaultKeyRow.wrapped_key,
            )
            .join(WatchlistRecordRow, WatchlistRecordRow.reference == WatchlistImageRow.reference)
            .join(VaultKeyRow, VaultKeyRow.id == WatchlistRecordRow.container_id)
        )
        for reference, position, template, box_id, wrapped in self.session.execute(query):
            yield Container(box_id, wrapped), SealedTemplate(reference, position, template)

    def container_of(self, reference: str) -> str | None:
        """The container of a pool record (None: not in the pool)."""
        row = self.session.get(WatchlistRecordRow, reference)
        return None if row is None else row.container_id

    def remove(self, reference: str) -> None:
        """The record and (by cascade) its images; its container is the caller's to destroy."""
        row = self.session.get(WatchlistRecordRow, reference)
        if row is not None:
            self.session.delete(row)
            self.session.flush()


class DuplicateFlags:
    """Pairs of pool records that look like one person, until a person resolves them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def pairs(self) -> set[tuple[str, str]]:
        """Every pair ever flagged, resolved or not."""
        query = select(DuplicateFlagRow.reference_a, DuplicateFlagRow.reference_b)
        return {(a, b) for a, b in self.session.execute(query)}

    def unresolved(self) -> list[Duplicate]:
        query = select(DuplicateFlagRow).where(DuplicateFlagRow.resolved_at.is_(None))
        return [
            Duplicate(row.reference_a, row.reference_b, row.score)
            for row in self.session.scalars(query)
        ]

    def add(self, found: Sequence[Duplicate], now: datetime) -> None:
        if found:
            rows = [
                {
                    "reference_a": d.reference_a,
                    "reference_b": d.reference_b,
                    "score": d.score,
                    "flagged_at": now,
                }
                for d in found
            ]
            self.session.execute(insert(DuplicateFlagRow), rows)

    def resolve(self, first: str, second: str, by: str, resolution: str, now: datetime) -> bool:
        """Record a person's resolution of the pair; False if it was never flagged."""
        query = select(DuplicateFlagRow).where(
            DuplicateFlagRow.reference_a == first, DuplicateFlagRow.reference_b == second
        )
        row = self.session.scalars(query).first()
        if row is None:
            return False
        row.resolved_by, row.resolved_at, row.resolution = by, now, resolution
        self.session.flush()
        return True

    def forget(self, reference: str) -> None:
        """Every flag naming the reference (its record is withdrawn)."""
        self.session.execute(
            delete(DuplicateFlagRow).where(
                or_(
                    DuplicateFlagRow.reference_a == reference,
                    DuplicateFlagRow.reference_b == reference,
                )
            )
        )


class Snapshots:
    """Deployments' frozen watchlists: the summary and entries (kept for redress) and the
    sealed images and templates (destroyed with the snapshot)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        snapshot: Snapshot,
        entries: Sequence[SnapshotEntry],
        images: Sequence[SealedEnrolment],
    ) -> None:
        self.session.add(_snapshot_row(snapshot))
        self.session.flush()
        for chunk in _batches(entries):
            self.session.execute(
                insert(SnapshotEntryRow), [_entry_columns(snapshot.id, e) for e in chunk]
            )
        for images_chunk in _batches(images):
            self.session.execute(
                insert(SnapshotTemplateRow),
                [_template_columns(snapshot.id, i) for i in images_chunk],
            )

    def get(self, snapshot_id: str) -> Snapshot | None:
        row = self.session.get(SnapshotRow, snapshot_id)
        return None if row is None else _snapshot(row)

    def live_ids(self, deployment_id: DeploymentId) -> list[str]:
        """The deployment's snapshots not yet destroyed."""
        query = select(SnapshotRow.id).where(
            SnapshotRow.deployment_id == deployment_id, SnapshotRow.destroyed_at.is_(None)
        )
        return list(self.session.scalars(query))

    def frozen(self, deployment_id: DeploymentId, snapshot_hash: str) -> Snapshot | None:
        """The deployment's undestroyed snapshot with this hash, if there is one."""
        query = select(SnapshotRow).where(
            SnapshotRow.deployment_id == deployment_id,
            SnapshotRow.hash == snapshot_hash,
            SnapshotRow.destroyed_at.is_(None),
            SnapshotRow.container_id.is_not(None),
        )
        row = self.session.scalars(query).first()
        return None if row is None else _snapshot(row)

    def templates(self, snapshot_id: str) -> list[SealedTemplate]:
        query = select(
            SnapshotTemplateRow.reference,
            SnapshotTemplateRow.position,
            SnapshotTemplateRow.template,
        ).where(SnapshotTemplateRow.snapshot_id == snapshot_id)
        return [SealedTemplate(*row) for row in self.session.execute(query)]

    def image(self, snapshot_id: str, reference: str, position: int) -> bytes | None:
        """One sealed image of the snapshot (None: it holds no such image)."""
        return self.session.scalar(
            select(SnapshotTemplateRow.image).where(
                SnapshotTemplateRow.snapshot_id == snapshot_id,
                SnapshotTemplateRow.reference == reference,
                SnapshotTemplateRow.position == position,
            )
        )

    def sealed(self, snapshot_id: str) -> list[tuple[bytes, bytes]]:
        """Its (image, template) ciphertexts by reference and position: what destruction
        accounts for in its receipt."""
        query = (
            select(SnapshotTemplateRow.image, SnapshotTemplateRow.template)
            .where(SnapshotTemplateRow.snapshot_id == snapshot_id)
            .order_by(SnapshotTemplateRow.reference, SnapshotTemplateRow.position)
        )
        return [(image, template) for image, template in self.session.execute(query)]

    def destroy(self, snapshot_id: str, by: str, now: datetime) -> None:
        """Delete its images and templates and record who destroyed it and when; its entries
        stay. The container's key is the caller's to destroy."""
        self.session.execute(
            delete(SnapshotTemplateRow).where(SnapshotTemplateRow.snapshot_id == snapshot_id)
        )
        row = self.session.get(SnapshotRow, snapshot_id)
        if row is not None:
            row.container_id, row.destroyed_by, row.destroyed_at = None, by, now
        self.session.flush()

    def listing(self, reference: str) -> list[tuple[Snapshot, SnapshotEntry]]:
        """Every snapshot a person reference was on, oldest first (destroyed ones too)."""
        query = (
            select(SnapshotEntryRow, SnapshotRow)
            .join(SnapshotRow, SnapshotRow.id == SnapshotEntryRow.snapshot_id)
            .where(SnapshotEntryRow.reference == reference)
            .order_by(SnapshotRow.built_at)
        )
        return [
            (_snapshot(snapshot), _entry(entry)) for entry, snapshot in self.session.execute(query)
        ]


def _sealed_record(
    members: list[tuple[WatchlistRecordRow, WatchlistImageRow, bytes]],
) -> SealedRecord:
    row, _, wrapped = members[0]
    images = tuple(
        WatchlistImage(file=i.file, source=ImageSource(i.source), captured_on=i.captured_on)
        for _, i, _ in members
    )
    record = WatchlistRecord(
        reference=row.reference,
        category=row.category,
        legal_basis=row.legal_basis,
        date_of_birth=row.date_of_birth,
        disabled=row.disabled,
        gender_transition=row.gender_transition,
        review_date=row.review_date,
        images=images,
    )
    sealed = tuple(
        SealedEnrolment(i.reference, i.position, i.image, i.template) for _, i, _ in members
    )
    return SealedRecord(record, Container(row.container_id, wrapped), sealed)


def _record_columns(
    record: WatchlistRecord, container: Container, by: str, now: datetime
) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "category": record.category,
        "legal_basis": record.legal_basis,
        "date_of_birth": record.date_of_birth,
        "disabled": record.disabled,
        "gender_transition": record.gender_transition,
        "review_date": record.review_date,
        "container_id": container.id,
        "imported_by": by,
        "imported_at": now,
    }


def _image_columns(meta: WatchlistImage, sealed: SealedEnrolment) -> dict[str, Any]:
    return {
        "reference": sealed.reference,
        "position": sealed.position,
        "file": meta.file,
        "source": meta.source.value,
        "captured_on": meta.captured_on,
        "image": sealed.image,
        "template": sealed.template,
    }


def _snapshot(row: SnapshotRow) -> Snapshot:
    values = {f.name: getattr(row, f.name) for f in fields(Snapshot)}
    lists = {
        "categories": tuple(row.categories),
        "special_categories": tuple(row.special_categories),
    }
    return Snapshot(**{**values, **lists, "deployment_id": DeploymentId(row.deployment_id)})


def _snapshot_row(snapshot: Snapshot) -> SnapshotRow:
    lists = {
        "categories": list(snapshot.categories),
        "special_categories": list(snapshot.special_categories),
    }
    return SnapshotRow(**{**asdict(snapshot), **lists})


def _entry(row: SnapshotEntryRow) -> SnapshotEntry:
    return SnapshotEntry(row.reference, row.category, tuple(row.special_categories))


def _entry_columns(snapshot_id: str, entry: SnapshotEntry) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot_id,
        "reference": entry.reference,
        "category": entry.category,
        "special_categories": list(entry.special_categories),
    }


def _template_columns(snapshot_id: str, sealed: SealedEnrolment) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot_id,
        "reference": sealed.reference,
        "position": sealed.position,
        "image": sealed.image,
        "template": sealed.template,
    }


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    taken = iter(items)
    while chunk := list(islice(taken, BATCH)):
        yield chunk
