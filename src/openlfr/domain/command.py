"""What Gold puts in place before going live: the command structure and the checklist."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.roles import Role

APPOINTABLE = (Role.SILVER, Role.BRONZE, Role.OPERATOR, Role.ENGAGEMENT_OFFICER)


class CommandStructure(BaseModel):
    """Gold is confirmed by the AO; Gold appoints the others (usernames)."""

    gold: str = ""
    silver: list[str] = []
    bronze: list[str] = []
    operator: list[str] = []
    engagement_officer: list[str] = []

    def holders(self, role: Role) -> list[str]:
        if role is Role.GOLD:
            return [self.gold] if self.gold else []
        if role not in APPOINTABLE:
            raise ValueError(f"{role} is not a post in the command structure")
        held: list[str] = getattr(self, role.value)
        return held

    def gaps(self) -> list[str]:
        return [
            f"no {role.value.replace('_', ' ')} is appointed"
            for role in APPOINTABLE
            if not self.holders(role)
        ]


class ChecklistItem(StrEnum):
    ADVANCE_NOTICE = "advance_notice"
    SIGNAGE = "signage"
    WATCHLIST_IMPORTED = "watchlist_imported"
    CAMERAS = "cameras"
    ROLES = "roles"
    TRAINED_PERSONNEL = "trained_personnel"


class ChecklistEntry(BaseModel):
    """One item done: by whom, when, and the note (for a waived advance notice, the reason)."""

    model_config = ConfigDict(frozen=True)

    done_by: str
    done_at: AwareDatetime
    note: str = ""
    waived: bool = False


class WatchlistImport(BaseModel):
    """The frozen watchlist snapshot the live engine is allowed to use, by hash."""

    model_config = ConfigDict(frozen=True)

    snapshot_hash: str
    size: int
    categories: list[str]
    special_categories: list[str] = []


class PreDeploymentChecklist(BaseModel):
    entries: dict[ChecklistItem, ChecklistEntry] = {}
    watchlist: WatchlistImport | None = None
    cameras: list[str] = []

    def missing(self) -> list[ChecklistItem]:
        return [item for item in ChecklistItem if item not in self.entries]
