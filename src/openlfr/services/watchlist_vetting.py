"""Vetting the force's pool: duplicate detection (one matrix product over every template),
a person's resolution of a flagged pair, and withdrawal of a record (its data key shredded)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.watchlist import (
    DUPLICATE_THRESHOLD,
    Duplicate,
    WatchlistRefused,
    require_importer,
)
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


def image_context(reference: str, position: int, kind: str) -> bytes:
    """Associated data binding a pool ciphertext to its record, image and kind."""
    return f"watchlist:{reference}:{position}:{kind}".encode()


def pool_templates(uow: UnitOfWork, vault: Vault) -> tuple[list[str], npt.NDArray[np.float32]]:
    """Every template in the pool, decrypted: (reference per row, matrix)."""
    references, vectors = [], []
    for box, sealed in uow.watchlist_pool.templates():
        context = image_context(sealed.reference, sealed.position, "template")
        references.append(sealed.reference)
        vectors.append(np.frombuffer(vault.decrypt(box, sealed.template, context), np.float32))
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
    known = uow.duplicates.pairs()
    found = [Duplicate(a, b, score) for (a, b), score in sorted(best.items())]
    uow.duplicates.add([d for d in found if (d.reference_a, d.reference_b) not in known], now)
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
        if not uow.duplicates.resolve(first, second, by, resolution, now):
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
        container_id = uow.watchlist_pool.container_of(reference)
        if container_id is None:
            raise WatchlistRefused([f"{reference} is not in the watchlist pool"])
        uow.duplicates.forget(reference)
        uow.watchlist_pool.remove(reference)
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
