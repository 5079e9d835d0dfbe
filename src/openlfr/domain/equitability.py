"""Equitability evidence as the record keeps it: per demographic group, the false and true
match rates at the threshold in use, each with its Wilson 95% interval and sample size, and a
finding a person can read. `eval.equitability` measures it; the services file it by content
hash and record which version a deployment relied on."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from openlfr.domain.errors import PermissionRefused
from openlfr.domain.roles import Actor, Role

MIN_SUBJECTS = 30
"""Below this many identities a group's rates are reported but no conclusion is drawn."""
Z95 = 1.959964


class Rate(BaseModel):
    """k of n, with the Wilson score interval (95%)."""

    model_config = ConfigDict(frozen=True)

    count: int
    total: int
    rate: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, count: int, total: int) -> Rate:
        return cls(
            count=count, total=total, rate=count / total if total else None, **wilson(count, total)
        )


def wilson(count: int, total: int, z: float = Z95) -> dict[str, float | None]:
    """The Wilson score interval: sound at 0 and 1 and for small n, unlike the normal one."""
    if total == 0:
        return {"low": None, "high": None}
    p, z2 = count / total, z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == total else min(1.0, centre + half)
    return {"low": low, "high": high}


class GroupResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    attribute: str
    group: str
    subjects: int
    false_match: Rate
    """Impostor comparisons (probe against another enrolled identity of the group) >= t."""
    true_match: Rate
    """Mated probes whose best candidate is the right identity with score >= t."""
    rank1: float
    failure_to_enrol: int
    failure_to_acquire: int
    conclusive: bool
    finding: str


class EquitabilityEvidence(BaseModel):
    """The evidence document the Authorising Officer sees and each deployment records."""

    model_config = ConfigDict(frozen=True)

    protocol: str = "LFR-ID-1 per demographic group"
    model_id: str
    threshold: float
    reference_set: str
    provenance: dict[str, Any]
    min_subjects: int = MIN_SUBJECTS
    groups: list[GroupResult]

    @property
    def digest(self) -> str:
        """Content hash: the same measurement always has the same name."""
        body = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class EvidenceReliedOn:
    """Which filed evidence a deployment relied on: its digest and, if still filed, version."""

    digest: str
    version: int | None

    def __str__(self) -> str:
        return f"version {self.version if self.version is not None else '?'}, {self.digest}"


FILERS = (Role.ADMINISTRATOR, Role.DPO)
"""Who may file evidence."""
RECORDERS = (Role.AUTHORISING_OFFICER, Role.GOLD)
"""Who may record which evidence a deployment relied on."""


def acting_role(actor: Actor, roles: tuple[Role, ...], to: str) -> Role:
    """The first of `roles` the actor holds, in which they act; refused if none."""
    for role in roles:
        if actor.has(role):
            return role
    wanted = " or ".join(r.value for r in roles)
    raise PermissionRefused(f"{actor.username} needs the {wanted} role to {to}")
