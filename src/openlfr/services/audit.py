"""Reading and proving the audit chain."""

from __future__ import annotations

from openlfr.store import audit
from openlfr.store.uow import UnitOfWork


def verify_chain(uow: UnitOfWork) -> audit.Verification:
    with uow:
        return audit.verify(uow.session)


def audit_history(
    uow: UnitOfWork, entity_type: str | None = None, entity_id: str | None = None
) -> list[audit.Entry]:
    with uow:
        return audit.history(uow.session, entity_type, entity_id)
