"""The audit chain: every change and decision, append-only, each record hashed with the one before.

Any use case appends with `AuditLog.record`; `verify` proves the chain intact or names the first
broken record. Appends are serialised by locking the single chain-head row (SELECT ... FOR UPDATE
on PostgreSQL; on SQLite every write transaction already begins IMMEDIATE, see `db.py`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openlfr.domain.audit import AuditEntry, AuditEvent, Verification
from openlfr.store.tables import AuditHead, AuditRow

GENESIS = "0" * 64
HEAD_ID = 1


def canonical(value: Any) -> str:
    """One spelling per value, so a hash can be recomputed from the stored text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(prev_hash: str, row: AuditRow) -> str:
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


class AuditLog:
    """The chain as seen from one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, event: AuditEvent) -> None:
        """Append one record in the caller's transaction. Call it after making the change: it
        flushes first, so the change's own checks (optimistic locks) fail before the chain moves."""
        session = self.session
        session.flush()
        head = session.execute(
            select(AuditHead)
            .where(AuditHead.id == HEAD_ID)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        row = AuditRow(
            seq=head.seq + 1,
            at=event.at.isoformat(),
            actor=event.actor,
            role=str(event.role),
            action=event.action,
            entity_type=event.entity.kind,
            entity_id=str(event.entity.id),
            before=canonical(event.before),
            after=canonical(event.after),
            prev_hash=head.hash,
        )
        row.hash = digest(head.hash, row)
        session.add(row)
        head.seq, head.hash = row.seq, row.hash
        session.flush()

    def verify(self) -> Verification:
        """Walk the chain from the start; stop at the first record that is altered or missing."""
        expected, prev = 1, GENESIS
        rows = self.session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(1000)
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
            if digest(row.prev_hash, row) != row.hash:
                return Verification(
                    False,
                    expected - 1,
                    row.seq,
                    f"record {row.seq} was altered: its hash does not match",
                )
            expected, prev = expected + 1, row.hash
        head = self.session.get(AuditHead, HEAD_ID)
        if head is None or head.seq != expected - 1 or head.hash != prev:
            last = head.seq if head else "?"
            return Verification(
                False,
                expected - 1,
                expected,
                f"records {expected} to {last} are missing from the end",
            )
        return Verification(True, expected - 1)

    def history(
        self, entity_type: str | None = None, entity_id: str | None = None
    ) -> list[AuditEntry]:
        """The records (about one entity, if given), oldest first."""
        query = select(AuditRow).order_by(AuditRow.seq)
        if entity_type is not None:
            query = query.where(AuditRow.entity_type == entity_type)
        if entity_id is not None:
            query = query.where(AuditRow.entity_id == entity_id)
        return [
            AuditEntry(
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
            for row in self.session.scalars(query)
        ]
