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


def add_user(uow: UnitOfWork, by: str | None, person: Actor, now: datetime | None = None) -> Actor:
    """An administrator adds a user; with no users yet, anyone may add the first administrator."""
    now = now_or(now)
    with uow:
        enlist(uow, by, person, now)
        uow.commit()
    return person


def enlist(uow: UnitOfWork, by: str | None, person: Actor, now: datetime) -> None:
    """Within an open unit of work: add the user, audited (see `add_user`)."""
    if uow.actors.count() == 0:
        if not person.has(Role.ADMINISTRATOR):
            raise PermissionRefused("the first user must hold the administrator role")
        by = SYSTEM.username
    else:
        if by is None:
            raise PermissionRefused("say who is adding the user (--as an administrator)")
        require_role(uow.actors.get(by), Role.ADMINISTRATOR, "add users")
    if person.username == SYSTEM.username:
        raise AlreadyExists(f"{SYSTEM.username!r} is reserved for automatic steps")
    _check_rank(uow, person, now)
    uow.actors.add(person, now)
    uow.audit.record(
        AuditEvent(
            actor=by,
            role=Role.ADMINISTRATOR,
            action="user.added",
            entity=Entity("user", person.username),
            after=person.model_dump(mode="json"),
            at=now,
        )
    )


def update_user(uow: UnitOfWork, by: str, person: Actor, now: datetime | None = None) -> Actor:
    """Change a user's roles, rank or name."""
    now = now_or(now)
    with uow:
        require_role(uow.actors.get(by), Role.ADMINISTRATOR, "change users")
        before = uow.actors.get(person.username)
        _check_rank(uow, person, now)
        uow.actors.update(person)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action="user.updated",
                entity=Entity("user", person.username),
                before=before.model_dump(mode="json"),
                after=person.model_dump(mode="json"),
                at=now,
            )
        )
        uow.commit()
    return person


def find_user(uow: UnitOfWork, username: str) -> Actor:
    with uow:
        return uow.actors.get(username)


def list_users(uow: UnitOfWork) -> list[Actor]:
    with uow:
        return uow.actors.list()


def _check_rank(uow: UnitOfWork, person: Actor, now: datetime) -> None:
    ranks = active_policy(uow, now).ranks.order
    if person.rank is not None and person.rank not in ranks:
        raise PermissionRefused(f"rank {person.rank!r} is not in the policy's ranks: {ranks}")
