"""Force policy as data: the closed lists, ranks, periods and floors the safeguards are checked
against. Points the public record leaves open are settings here, not code."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from openlfr.domain.roles import Role

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
DottedVersion = Annotated[str, Field(pattern=r"^\d+(\.\d+)*$")]

_CATCH_ALL = {"other", "any", "misc", "miscellaneous", "general", "unspecified"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Strict):
    """An entry of a closed list. Bridges (2020): a catch-all entry is refused."""

    key: Key
    title: str = Field(min_length=1)

    @field_validator("key")
    @classmethod
    def _not_catch_all(cls, key: str) -> str:
        if key in _CATCH_ALL:
            raise ValueError(f"{key!r} is a catch-all; the policy's lists must be closed")
        return key


class WatchlistCategory(Named):
    stricter_justification: bool = False


class RequiredDocument(Named):
    minimum_version: DottedVersion
    adopted_by_ao: bool = False


class Ranks(_Strict):
    order: list[Key] = Field(min_length=1)
    authorising_officer_minimum: Key
    chief_officer_minimum: Key

    @model_validator(mode="after")
    def _minimums_are_ranks(self) -> Ranks:
        if len(set(self.order)) != len(self.order):
            raise ValueError("rank order lists a rank twice")
        for rank in (self.authorising_officer_minimum, self.chief_officer_minimum):
            if rank not in self.order:
                raise ValueError(f"minimum rank {rank!r} is not in the rank order")
        return self


class Retention(_Strict):
    watchlist_hours_after_close: PositiveInt
    match_data_hours: PositiveInt
    alert_with_footage_days: PositiveInt


class Threshold(_Strict):
    floor: float = Field(gt=0.0, le=1.0)


class Urgent(_Strict):
    written_record_hours: PositiveInt


class Separation(_Strict):
    ao_may_be_gold: bool = False


PRIVILEGED = (
    Role.AUTHORISING_OFFICER,
    Role.GOLD,
    Role.SILVER,
    Role.ADMINISTRATOR,
    Role.DPO,
    Role.AUDITOR,
    Role.OPERATOR,
)
"""Roles that see or decide on watchlists, alerts, accounts or the record: a second factor."""


class AccountRules(_Strict):
    """Console accounts: which roles must log in with a second factor, and after how many
    idle minutes a session ends (besides its absolute lifetime)."""

    second_factor_roles: list[Role] = Field(default_factory=lambda: list(PRIVILEGED))
    idle_minutes: PositiveInt = 30

    def needs_second_factor(self, roles: Iterable[Role]) -> bool:
        return bool(set(roles) & set(self.second_factor_roles))


class Policy(_Strict):
    """One version of the force's LFR policy. Decisions record `version` so they stay explicable."""

    name: str = Field(min_length=1)
    force: str = Field(min_length=1)
    use_cases: list[Named] = Field(min_length=1)
    watchlist_categories: list[WatchlistCategory] = Field(min_length=1)
    special_categories: list[Named]
    raised_privacy_places: list[Named]
    echr_articles: list[int] = Field(min_length=1)
    schedule8_conditions: list[Named] = Field(min_length=1)
    documents: list[RequiredDocument] = Field(min_length=1)
    ranks: Ranks
    retention: Retention
    threshold: Threshold
    urgent: Urgent
    separation: Separation = Separation()
    accounts: AccountRules | None = None

    @field_validator(
        "use_cases",
        "watchlist_categories",
        "special_categories",
        "raised_privacy_places",
        "schedule8_conditions",
        "documents",
    )
    @classmethod
    def _keys_unique(cls, items: list[Named]) -> list[Named]:
        keys = [item.key for item in items]
        if len(set(keys)) != len(keys):
            raise ValueError("a key is listed twice")
        return items

    @field_validator("echr_articles")
    @classmethod
    def _article_8_always(cls, articles: list[int]) -> list[int]:
        if 8 not in articles:
            raise ValueError("must include Article 8: LFR always engages it")
        return articles

    @property
    def account_rules(self) -> AccountRules:
        return self.accounts or AccountRules()

    @property
    def version(self) -> str:
        """SHA-256 of the canonical content: comments and layout of the file do not count (nor
        a section left out, so versions from before a section existed stay the same)."""
        content = self.model_dump(mode="json", exclude_none=True)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def rank_at_least(self, rank: str | None, minimum: str) -> bool:
        order = self.ranks.order
        return rank in order and order.index(rank) >= order.index(minimum)

    @staticmethod
    def keys(items: Sequence[Named]) -> set[str]:
        return {item.key for item in items}

    def stricter_categories(self) -> set[str]:
        return {c.key for c in self.watchlist_categories if c.stricter_justification}


def version_tuple(version: str) -> tuple[int, ...]:
    """'3.10' -> (3, 10): document versions compare numerically, not as text."""
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        raise ValueError(f"{version!r} is not a dotted version number")
    return tuple(int(part) for part in version.split("."))
