"""Rotating the vault's master key, so that backups taken before a destruction are shredded too.

Every live data key is wrapped again under a new master key in one transaction, audited; the
old master key is then destroyed by whoever holds it. A backup from before needs the old key,
so once it is gone such a backup is noise, like the destroyed data in the live database."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.permissions import require_role
from openlfr.domain.roles import Role
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

ROTATED = "vault.rotated"


def rotate_master_key(
    uow: UnitOfWork, by: str, vault: Vault, successor: Vault, now: datetime | None = None
) -> int:
    """An administrator re-wraps every data key under `successor`; returns how many."""
    at = now_or(now)
    with uow:
        actor = load_actor(uow, by)
        require_role(actor, Role.ADMINISTRATOR, "rotate the vault key")
        count = vault.rewrap(uow.vault_keys, successor)
        after = {"data_keys": count, "note": "destroy the old master key now"}
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action=ROTATED,
                entity=Entity("vault", "master"),
                before={},
                after=after,
                at=at,
            )
        )
        uow.commit()
    uow.shred_leftovers()  # no old wrapping left in the WAL
    return count
