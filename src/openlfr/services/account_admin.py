"""An administrator's steps on a person's login: disable (their sessions end at once), enable,
remove. Each is audited; no administrator may disable or remove themself, so the console always
keeps the one doing it."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.permissions import require_role
from openlfr.domain.roles import Role
from openlfr.services.clock import now_or
from openlfr.store.uow import UnitOfWork


def disable(uow: UnitOfWork, by: str, username: str, now: datetime | None = None) -> None:
    now = now_or(now)
    with uow:
        _check(uow, by, username, "disable")
        uow.accounts.set_disabled(username, now)
        uow.accounts.drop_sessions_of(username)
        _audit(uow, by, username, "account.disabled", now)
        uow.commit()


def enable(uow: UnitOfWork, by: str, username: str, now: datetime | None = None) -> None:
    now = now_or(now)
    with uow:
        _check(uow, by, username, "enable")
        uow.accounts.set_disabled(username, None)
        _audit(uow, by, username, "account.enabled", now)
        uow.commit()


def remove(uow: UnitOfWork, by: str, username: str, now: datetime | None = None) -> None:
    """The person and their login go; refused for anyone a record names (disable them)."""
    now = now_or(now)
    with uow:
        _check(uow, by, username, "remove")
        before = uow.actors.get(username)
        uow.accounts.forget(username)
        uow.actors.remove(username)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action="user.removed",
                entity=Entity("user", username),
                before=before.model_dump(mode="json"),
                at=now,
            )
        )
        uow.commit()


def _check(uow: UnitOfWork, by: str, username: str, step: str) -> None:
    require_role(uow.actors.get(by), Role.ADMINISTRATOR, f"{step} accounts")
    if by == username:
        raise PermissionRefused(f"you cannot {step} yourself; ask another administrator")
    uow.actors.get(username)


def _audit(uow: UnitOfWork, by: str, username: str, action: str, now: datetime) -> None:
    uow.audit.record(
        AuditEvent(
            actor=by,
            role=Role.ADMINISTRATOR,
            action=action,
            entity=Entity("user", username),
            at=now,
        )
    )
