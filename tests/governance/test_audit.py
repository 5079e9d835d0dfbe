"""The audit chain proves itself intact, and names the first record altered or removed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govkit import Flow, execute_sql
from openlfr.cli import app
from openlfr.services.audit import audit_history, verify_chain
from openlfr.store import audit
from openlfr.store.db import Database
from openlfr.store.tables import AuditRow
from openlfr.store.uow import UnitOfWork


@pytest.fixture
def chain(flow: Flow, uow: UnitOfWork) -> int:
    """A real history: the cast of people and an authorised deployment. Returns its length."""
    flow.authorised()
    result = verify_chain(uow)
    assert result.ok and result.records > 10
    return result.records


def test_every_step_is_recorded_with_who_role_and_change(chain: int, uow: UnitOfWork) -> None:
    entries = audit_history(uow)
    assert [e.seq for e in entries] == list(range(1, chain + 1))
    decided = next(e for e in entries if e.action == "application.authorised")
    assert (decided.actor, decided.role) == ("bob", "authorising_officer")
    assert decided.before["state"] == "submitted" and decided.after["state"] == "authorised"
    assert decided.after["decisions"]["appended"][0]["written"]["terms"]["threshold"] == 0.45


def test_an_altered_record_is_named(chain: int, uow: UnitOfWork, db: Database) -> None:
    execute_sql(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 7")
    result = verify_chain(uow)
    assert not result.ok and result.first_broken == 7
    assert "record 7 was altered" in result.problem


def test_an_altered_record_with_a_recomputed_hash_breaks_the_next(
    chain: int, uow: UnitOfWork, db: Database
) -> None:
    """A forger who also recomputes the record's own hash is caught by the record after it."""
    with uow:
        row = uow.session.get(AuditRow, 7)
        assert row is not None
        row.actor = "mallory"
        forged = audit.digest(row.prev_hash, row)
    execute_sql(db, f"UPDATE audit_log SET actor = 'mallory', hash = '{forged}' WHERE seq = 7")
    result = verify_chain(uow)
    assert (result.ok, result.first_broken) == (False, 8)
    assert "record 8 does not follow the record before it" in result.problem


def test_a_removed_record_is_named(chain: int, uow: UnitOfWork, db: Database) -> None:
    execute_sql(db, "DELETE FROM audit_log WHERE seq = 5")
    result = verify_chain(uow)
    assert (result.ok, result.first_broken, result.problem) == (False, 5, "record 5 is missing")


def test_removing_the_newest_records_is_detected(chain: int, uow: UnitOfWork, db: Database) -> None:
    execute_sql(db, f"DELETE FROM audit_log WHERE seq >= {chain - 1}")
    result = verify_chain(uow)
    assert not result.ok and result.first_broken == chain - 1
    assert "missing from the end" in result.problem


def test_the_cli_verifies_the_chain(
    chain: int, db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLFR_DATABASE_URL", database_url)
    runner = CliRunner()
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0 and f"intact: {chain} records" in intact.output
    execute_sql(db, "UPDATE audit_log SET after = '{}' WHERE seq = 3")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at record 3: record 3 was altered" in broken.output
