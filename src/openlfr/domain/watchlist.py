"""Watchlist records as a force exports them, and whether one fits a deployment's authority.

Pure rules: the special categories a record falls into are *derived* (age at the deployment
date, image source), never typed, so an under-18 cannot slip onto a watchlist whose authority
does not approve under-18s because someone left a box unticked."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from openlfr.domain.authority import AuthorityTerms
from openlfr.domain.deployment import DeploymentId
from openlfr.domain.errors import PermissionRefused, Refusal
from openlfr.domain.policy import Policy
from openlfr.domain.problems import Problem, Where
from openlfr.domain.roles import Actor, Role

#: Two templates of different references scoring at least this are flagged as a likely duplicate.
DUPLICATE_THRESHOLD = 0.70

#: Who may import records into the force's pool: the officers who prepare deployments.
IMPORTERS = frozenset({Role.APPLICANT, Role.GOLD, Role.SILVER})


class ImageSource(StrEnum):
    POLICE = "police"
    NON_POLICE = "non_police"


class WatchlistImage(BaseModel):
    """One image of a record: its file (as named in the import), where it came from and when."""

    model_config = ConfigDict(frozen=True)

    file: str = Field(min_length=1)
    source: ImageSource
    captured_on: date


class WatchlistRecord(BaseModel):
    """One person sought, as the force's systems export them (no name: a reference only)."""

    model_config = ConfigDict(frozen=True)

    reference: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")
    category: str = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    date_of_birth: date
    disabled: bool = False
    gender_transition: bool = False
    review_date: date
    images: tuple[WatchlistImage, ...] = Field(min_length=1)

    @field_validator("legal_basis")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the legal basis is missing")
        return value.strip()

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def special_categories(self, on: date) -> set[str]:
        """The policy's special categories this record falls into on the deployment date. An
        under-13 is also an under-18: both approvals are needed."""
        found = set()
        age = self.age_on(on)
        if age < 13:
            found.add("under_13")
        if age < 18:
            found.add("under_18")
        if self.disabled:
            found.add("disabled")
        if self.gender_transition:
            found.add("gender_transition")
        if any(image.source is ImageSource.NON_POLICE for image in self.images):
            found.add("non_police_images")
        return found

    def is_stale(self, on: date) -> bool:
        """Its review date ("is this person still sought?") has passed."""
        return self.review_date < on


def policy_problems(record: WatchlistRecord, policy: Policy, today: date) -> list[Problem]:
    """What stops a record entering the force's pool at all."""
    problems = []
    if record.category not in policy.keys(policy.watchlist_categories):
        problems.append(
            Problem(
                "unknown_category",
                f"unknown category {record.category!r}",
                Where(field="category"),
            )
        )
    if record.date_of_birth > today:
        problems.append(
            Problem(
                "born_in_future", "date of birth is in the future", Where(field="date_of_birth")
            )
        )
    problems.extend(
        Problem(
            "captured_in_future",
            f"image {image.file}: captured in the future",
            Where(field="captured_on"),
        )
        for image in record.images
        if image.captured_on > today
    )
    return problems


def composition_problems(record: WatchlistRecord, terms: AuthorityTerms, on: date) -> list[Problem]:
    """Why a record may not be on this deployment's watchlist (empty: it fits the authority)."""
    problems = []
    if record.category not in terms.watchlist_categories:
        problems.append(
            Problem(
                "category_not_authorised",
                f"category {record.category} is not authorised",
                Where(section=record.reference, field="category"),
            )
        )
    if extra := record.special_categories(on) - set(terms.special_categories):
        problems.append(
            Problem(
                "special_categories_not_authorised",
                f"special categories {sorted(extra)} are not authorised",
                Where(section=record.reference, field="special_categories"),
            )
        )
    return problems


def require_importer(actor: Actor) -> Role:
    """The role the actor imports under; refused unless they hold one of IMPORTERS."""
    for role in sorted(IMPORTERS):
        if actor.has(role):
            return role
    roles = ", ".join(sorted(role.value for role in IMPORTERS))
    raise PermissionRefused(f"{actor.username} needs one of {roles} to import watchlist records")


def snapshot_hash(entries: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over the records' references and template bytes, sorted by reference (then by
    template), so the same content always gives the same hash and any change gives another."""
    digest = hashlib.sha256()
    for reference, template in sorted(entries):
        encoded = reference.encode()
        digest.update(len(encoded).to_bytes(4, "big") + encoded)
        digest.update(len(template).to_bytes(4, "big") + template)
    return f"sha256:{digest.hexdigest()}"


@dataclass(frozen=True)
class Duplicate:
    """Two different references whose templates look like one person (`reference_a` sorts
    first); kept out of every snapshot until a person resolves the pair."""

    reference_a: str
    reference_b: str
    score: float


@dataclass(frozen=True)
class SnapshotEntry:
    """Who was on a snapshot, by reference only: kept after the snapshot is destroyed."""

    reference: str
    category: str
    special_categories: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    """A deployment's frozen watchlist: its hash, what it holds, and the vault container of its
    images and templates (None once destroyed)."""

    id: str
    deployment_id: DeploymentId
    hash: str
    size: int
    model_id: str
    categories: tuple[str, ...]
    special_categories: tuple[str, ...]
    container_id: str | None
    built_by: str
    built_at: datetime
    destroyed_by: str | None = None
    destroyed_at: datetime | None = None


class WatchlistRefused(Refusal):
    """A watchlist step cannot go ahead; one line per problem."""
