"""Separation of duties: who may take which step. Pure checks, called by every transition."""

from __future__ import annotations

from openlfr.domain.errors import PermissionRefused
from openlfr.domain.policy import Policy
from openlfr.domain.roles import Actor, Role


def require_role(actor: Actor, role: Role, to: str) -> None:
    if not actor.has(role):
        raise PermissionRefused(
            f"{actor.username} does not hold the {role.value} role needed to {to}"
        )


def require_authorising_officer(ao: Actor, applicant: str, policy: Policy) -> None:
    """An AO of sufficient rank who is not the applicant."""
    require_role(ao, Role.AUTHORISING_OFFICER, "decide an application")
    if ao.username == applicant:
        raise PermissionRefused(
            f"{ao.username} made this application and can never decide it; "
            "another Authorising Officer must"
        )
    minimum = policy.ranks.authorising_officer_minimum
    if not policy.rank_at_least(ao.rank, minimum):
        raise PermissionRefused(
            f"{ao.username} ({ao.rank or 'no rank'}) is below the policy's minimum rank for an "
            f"Authorising Officer ({minimum})"
        )


def require_gold_candidate(gold: Actor, ao: Actor, policy: Policy) -> None:
    require_role(gold, Role.GOLD, "be confirmed as Gold")
    if gold.username == ao.username and not policy.separation.ao_may_be_gold:
        raise PermissionRefused(
            f"{ao.username} cannot confirm themself as Gold: the policy keeps the Authorising "
            "Officer independent of the deployment's command"
        )


def require_post(actor: Actor, holders: list[str], post: str, to: str) -> None:
    """The actor must hold the named post on this deployment, not just the role in general."""
    if actor.username not in holders:
        raise PermissionRefused(f"only the deployment's {post} may {to}; {actor.username} is not")
