"""The shape every deployment step shares: load, check and change, save, audit, commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.policy import Policy
from openlfr.domain.roles import SYSTEM, Actor, Role
from openlfr.services.policy import active_policy
from openlfr.store.uow import UnitOfWork


@dataclass
class Step:
    """What a step's change function may use: the actor, the time and the policy in force."""

    uow: UnitOfWork
    actor: Actor
    now: datetime

    @cached_property
    def policy(self) -> Policy:
        return active_policy(self.uow, self.now)

    def person(self, username: str) -> Actor:
        return self.uow.actors.get(username)


def load_actor(uow: UnitOfWork, by: str) -> Actor:
    return SYSTEM if by == SYSTEM.username else uow.actors.get(by)


def change_deployment(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    action: str,
    role: Role | None,
    change: Callable[[Deployment, Step], object],
    now: datetime,
    exclusive: bool = False,
) -> Deployment:
    """Run one step in one transaction. `role` None: the post the actor holds on the deployment.
    A refusal raised by `change` leaves nothing behind: the transaction is rolled back.
    A racing step on the same deployment is refused (ConcurrentChange), unless `exclusive`:
    then the deployment is locked as it is read and the other step waits its turn."""
    with uow:
        step = Step(uow, load_actor(uow, by), now)
        deployment = uow.deployments.named(ref, lock=exclusive)
        before = deployment.model_dump(mode="json")
        change(deployment, step)
        uow.deployments.save(deployment, now)
        old, new = changes(before, deployment.model_dump(mode="json"))
        acting_as = role or post_of(deployment, step.actor)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=acting_as,
                action=action,
                entity=Entity("deployment", deployment.id),
                before=old,
                after=new,
                at=now,
            )
        )
        uow.commit()
    return deployment


def post_of(deployment: Deployment, actor: Actor) -> Role:
    """The command post the actor holds on this deployment (Gold first)."""
    for post in (Role.GOLD, Role.SILVER, Role.BRONZE, Role.OPERATOR, Role.ENGAGEMENT_OFFICER):
        if actor.username in deployment.command.holders(post):
            return post
    raise ValueError(f"{actor.username} holds no post on {deployment.reference}")


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed; for a list that only grew, just the new items."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key, value in after.items():
        previous = before.get(key)
        if previous == value:
            continue
        if (
            isinstance(previous, list)
            and isinstance(value, list)
            and value[: len(previous)] == previous
        ):
            old[key], new[key] = {"items": len(previous)}, {"appended": value[len(previous) :]}
        else:
            old[key], new[key] = previous, value
    return old, new
