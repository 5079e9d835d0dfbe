"""The audit chain: every change and decision, append-only, each record hashed with the one before.

Any area appends with `record`; `verify` proves the chain intact or names the first broken record.
Appends are serialised by locking the single chain-head row (SELECT ... FOR UPDATE on PostgreSQL;
on SQLite every write transaction already begins IMMEDIATE, see `db.py`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openlfr.store.tables import AuditHead, AuditRow

GENESIS = "0" * 64
HEAD_ID = 1


def canonical(value: Any) -> str:
    """One spelling per value, so a hash can be recomputed from the stored text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(prev_hash: str, row: AuditRow) -> str:
    body = {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "role": row.role,
        "action": row.action,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }
    return hashlib.sha256((prev_hash + canonical(body)).encode()).hexdigest()


def record(
    session: Session,
    actor: str,
    role: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any,
    after: Any,
    at: datetime | None = None,
) -> AuditRow:
    """Append one record in the caller's transaction. Call it after making the change: it
    flushes first, so the change's own checks (optimistic locks) fail before the chain moves."""
    session.flush()
    head = session.execute(
        select(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    row = AuditRow(
        seq=head.seq + 1,
        at=(at or datetime.now(UTC)).isoformat(),
        actor=actor,
        role=str(role),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        prev_hash=head.hash,
    )
    row.hash = _digest(head.hash, row)
    session.add(row)
    head.seq, head.hash = row.seq, row.hash
    session.flush()
    return row


@dataclass(frozen=True)
class Verification:
    ok: bool
    records: int
    first_broken: int | None = None
    problem: str = ""


def verify(session: Session) -> Verification:
    """Walk the chain from the start; stop at the first record that is altered or missing."""
    expected, prev = 1, GENESIS
    rows = session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(1000)
    for row in rows:
        if row.seq != expected:
            return Verification(False, expected - 1, expected, f"record {expected} is missing")
        if row.prev_hash != prev:
            return Verification(
                False,
                expected - 1,
                row.seq,
                f"record {row.seq} does not follow the record before it",
            )
        if _digest(row.prev_hash, row) != row.hash:
            return Verification(
                False,
                expected - 1,
                row.seq,
                f"record {row.seq} was altered: its hash does not match",
            )
        expected, prev = expected + 1, row.hash
    head = session.get(AuditHead, HEAD_ID)
    if head is None or head.seq != expected - 1 or head.hash != prev:
        last = head.seq if head else "?"
        return Verification(
            False, expected - 1, expected, f"records {expected} to {last} are missing from the end"
        )
    return Verification(True, expected - 1)


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    entity_type: str
    entity_id: str
    before: Any
    after: Any


def history(
    session: Session, entity_type: str | None = None, entity_id: str | None = None
) -> list[Entry]:
    """The records (about one entity, if given), oldest first."""
    query = select(AuditRow).order_by(AuditRow.seq)
    if entity_type is not None:
        query = query.where(AuditRow.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditRow.entity_id == entity_id)
    return [
        Entry(
            row.seq,
            row.at,
            row.actor,
            row.role,
            row.action,
            row.entity_type,
            row.entity_id,
            json.loads(row.before),
            json.loads(row.after),
        )
        for row in session.scalars(query)
    ]
