"""Which policy is in force, and changing it (audited, versioned by content hash)."""

from __future__ import annotations

from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.permissions import require_role
from openlfr.domain.policy import Policy
from openlfr.domain.policy_file import bundled_policy_text, parse_policy
from openlfr.domain.roles import SYSTEM, Role
from openlfr.services.clock import now_or
from openlfr.store.uow import UnitOfWork


def active_policy(uow: UnitOfWork, now: datetime) -> Policy:
    """Within an open unit of work: the active policy; the bundled MPS one if none is installed."""
    policy = uow.policies.active()
    if policy is None:
        policy = _activate(uow, bundled_policy_text(), SYSTEM.username, now)
    return policy


def install_policy(uow: UnitOfWork, by: str, text: str, now: datetime | None = None) -> Policy:
    """An administrator installs a policy file. Past decisions keep the version they cite."""
    now = now_or(now)
    policy = parse_policy(text)
    with uow:
        require_role(uow.actors.get(by), Role.ADMINISTRATOR, "change the policy")
        _activate(uow, text, by, now)
        uow.commit()
    return policy


def show_policy(uow: UnitOfWork, version: str | None = None) -> Policy:
    with uow:
        if version is not None:
            return uow.policies.get(version)
        policy = active_policy(uow, now_or(None))
        uow.commit()
        return policy


def _activate(uow: UnitOfWork, text: str, by: str, now: datetime) -> Policy:
    policy = parse_policy(text)
    previous = uow.policies.active()
    uow.policies.activate(policy, text, by, now)
    uow.audit.record(
        AuditEvent(
            actor=by,
            role=Role.ADMINISTRATOR,
            action="policy.installed",
            entity=Entity("policy", policy.version),
            before={"version": previous.version, "name": previous.name} if previous else None,
            after={"version": policy.version, "name": policy.name},
            at=now,
        )
    )
    return policy
