"""Who may act: the roles of the LFR process and the people (actors) who hold them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """System roles. Command roles (gold..engagement_officer) are also per-deployment posts."""

    APPLICANT = "applicant"
    AUTHORISING_OFFICER = "authorising_officer"
    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    OPERATOR = "operator"
    ENGAGEMENT_OFFICER = "engagement_officer"
    DPO = "dpo"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class Actor(BaseModel):
    """A person known to the system. Rank is a key of the policy's rank order, or None for staff."""

    model_config = ConfigDict(frozen=True)

    username: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    roles: frozenset[Role] = frozenset()
    rank: str | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles


SYSTEM = Actor(username="system", display_name="OpenLFR", roles=frozenset({Role.ADMINISTRATOR}))
"""The actor recorded for automatic steps (bootstrap, lapse of an urgent authority)."""
