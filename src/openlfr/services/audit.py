"""Reading and proving the audit chain."""

from __future__ import annotations

from openlfr.domain.audit import AuditEntry, Verification
from openlfr.store.uow import UnitOfWork


def verify_chain(uow: UnitOfWork) -> Verification:
    with uow:
        return uow.audit.verify()


def audit_history(
    uow: UnitOfWork, entity_type: str | None = None, entity_id: str | None = None
) -> list[AuditEntry]:
    with uow:
        return uow.audit.history(entity_type, entity_id)
