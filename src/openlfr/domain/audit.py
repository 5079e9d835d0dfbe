"""What the audit chain records: one event per change, decision or view, and what reading the
chain gives back. The chain itself (hashing, storage) is the store's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Entity:
    """What an event is about: a kind ('deployment', 'alert', ...) and its id."""

    kind: str
    id: str


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Who, acting in which role, did what to which entity, when, and how it changed."""

    actor: str
    role: str
    action: str
    entity: Entity
    at: datetime
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class AuditEntry:
    """One record read back from the chain."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    entity_type: str
    entity_id: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Verification:
    """The chain proved intact (`ok`), or the first record at fault and why."""

    ok: bool
    records: int
    first_broken: int | None = None
    problem: str = ""
