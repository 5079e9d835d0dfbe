"""People and their roles. The first user bootstraps the system and must be an administrator."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.errors import AlreadyExists, PermissionRefused
from openlfr.domain.permissions import require_role
from openlfr.domain.roles import SYSTEM, Actor, Role
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.store.uow import UnitOfWork


def add_user(uow: UnitOfWork, by: str | None, actor: Actor, now: datetime | None = None) -> Actor:
    """An administrator adds a user; with no users yet, anyone may add the first administrator."""
    now = now_or(now)
    with uow:
        if uow.actors.count() == 0:
            if not actor.has(Role.ADMINISTRATOR):
                raise PermissionRefused("the first user must hold the administrator role")
            by = SYSTEM.username
        else:
            if by is None:
                raise PermissionRefused("say who is adding the user (--as an administrator)")
            require_role(uow.actors.get(by), Role.ADMINISTRATOR, "add users")
        if actor.username == SYSTEM.username:
            raise AlreadyExists(f"{SYSTEM.username!r} is reserved for automatic steps")
        _check_rank(uow, actor, now)
        uow.actors.add(actor, now)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action="user.added",
                entity=Entity("user", actor.username),
                after=actor.model_dump(mode="json"),
                at=now,
            )
        )
        uow.commit()
    return actor


def update_user(uow: UnitOfWork, by: str, actor: Actor, now: datetime | None = None) -> Actor:
    """Change a user's roles, rank or name."""
    now = now_or(now)
    with uow:
        require_role(uow.actors.get(by), Role.ADMINISTRATOR, "change users")
        before = uow.actors.get(actor.username)
        _check_rank(uow, actor, now)
        uow.actors.update(actor)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action="user.updated",
                entity=Entity("user", actor.username),
                before=before.model_dump(mode="json"),
                after=actor.model_dump(mode="json"),
                at=now,
            )
        )
        uow.commit()
    return actor


def list_users(uow: UnitOfWork) -> list[Actor]:
    with uow:
        return uow.actors.list()


def _check_rank(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    ranks = active_policy(uow, now).ranks.order
    if actor.rank is not None and actor.rank not in ranks:
        raise PermissionRefused(f"rank {actor.rank!r} is not in the policy's ranks: {ranks}")
