"""Vetting the force's pool: duplicate detection (one matrix product over every template),
a person's resolution of a flagged pair, and withdrawal of a record (its data key shredded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, or_, select, update

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.watchlist import DUPLICATE_THRESHOLD, WatchlistRefused, require_importer
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Container, Vault
from openlfr.store.vault_keys import VaultKeyRow
from openlfr.store.watchlist_tables import DuplicateFlagRow, WatchlistImageRow, WatchlistRecordRow


@dataclass(frozen=True)
class Duplicate:
    reference_a: str
    reference_b: str
    score: float


def image_context(reference: str, position: int, kind: str) -> bytes:
    """Associated data binding a pool ciphertext to its record, image and kind."""
    return f"watchlist:{reference}:{position}:{kind}".encode()


def pool_templates(uow: UnitOfWork, vault: Vault) -> tuple[list[str], np.ndarray]:
    """Every template in the pool, decrypted: (reference per row, matrix)."""
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
    references, vectors = [], []
    for reference, position, blob, box_id, wrapped in uow.session.execute(query):
        plain = vault.decrypt(
            Container(box_id, wrapped), blob, image_context(reference, position, "template")
        )
        references.append(reference)
        vectors.append(np.frombuffer(plain, np.float32))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, 0), np.float32)
    return references, matrix


def flag_duplicates(uow: UnitOfWork, vault: Vault, new: set[str], now: datetime) -> list[Duplicate]:
    """Pairs of different references (one of them new) scoring at or above the threshold:
    one matrix product, taken a block of rows at a time to bound memory."""
    references, matrix = pool_templates(uow, vault)
    labels = np.asarray(references)
    is_new = np.isin(labels, list(new))
    best: dict[tuple[str, str], float] = {}
    for start in range(0, len(references), 1024):
        scores = matrix[start : start + 1024] @ matrix.T
        for i, j in zip(*np.nonzero(scores >= DUPLICATE_THRESHOLD), strict=True):
            row = start + int(i)
            a, b = sorted((references[row], references[int(j)]))
            if a != b and (is_new[row] or is_new[j]):
                best[(a, b)] = max(best.get((a, b), -1.0), float(scores[i, j]))
    known = {
        (flag.reference_a, flag.reference_b)
        for flag in uow.session.scalars(select(DuplicateFlagRow))
    }
    found = [Duplicate(a, b, score) for (a, b), score in sorted(best.items())]
    rows = [
        {
            "reference_a": d.reference_a,
            "reference_b": d.reference_b,
            "score": d.score,
            "flagged_at": now,
        }
        for d in found
        if (d.reference_a, d.reference_b) not in known
    ]
    if rows:
        uow.session.execute(insert(DuplicateFlagRow), rows)
    return found


def resolve_duplicate(
    uow: UnitOfWork, by: str, a: str, b: str, resolution: str, now: datetime | None = None
) -> None:
    """A person decides a flagged pair are different people; if they are one person, withdraw
    one of the records instead (`withdraw_record`)."""
    now = now_or(now)
    if not resolution.strip():
        raise WatchlistRefused(["say why the two records are different people"])
    first, second = sorted((a, b))
    with uow:
        role = require_importer(load_actor(uow, by))
        changed = uow.session.execute(
            update(DuplicateFlagRow)
            .where(DuplicateFlagRow.reference_a == first, DuplicateFlagRow.reference_b == second)
            .values(resolved_by=by, resolved_at=now, resolution=resolution)
        )
        if not changed.rowcount:
            raise WatchlistRefused([f"{first} and {second} are not flagged as duplicates"])
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="watchlist.duplicate_resolved",
                entity=Entity("watchlist_pool", f"{first}|{second}"),
                after={"resolution": resolution},
                at=now,
            )
        )
        uow.commit()


def withdraw_record(
    uow: UnitOfWork, by: str, reference: str, reason: str, vault: Vault, now: datetime | None = None
) -> None:
    """Take a record out of the pool (no longer sought, or a duplicate): its rows go and its
    data key is destroyed. Snapshots already built keep their own copy until destroyed."""
    now = now_or(now)
    with uow:
        role = require_importer(load_actor(uow, by))
        record = uow.session.get(WatchlistRecordRow, reference)
        if record is None:
            raise WatchlistRefused([f"{reference} is not in the watchlist pool"])
        container_id = record.container_id
        uow.session.execute(
            delete(DuplicateFlagRow).where(
                or_(
                    DuplicateFlagRow.reference_a == reference,
                    DuplicateFlagRow.reference_b == reference,
                )
            )
        )
        uow.session.delete(record)
        uow.session.flush()
        vault.destroy(uow.vault_keys, container_id)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="watchlist.record_withdrawn",
                entity=Entity("watchlist_pool", reference),
                after={"reason": reason},
                at=now,
            )
        )
        uow.commit()
