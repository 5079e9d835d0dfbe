"""Retention deletes exactly what is due, never an alert held as evidence, and each deletion
leaves a receipt the audit chain verifies."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from postkit import CLOSED, SCRIPT, add_dpo, scripted_deployment

from govkit import Flow
from openlfr.domain.errors import PermissionRefused, TransitionRefused
from openlfr.services import alerts, reports, retention
from openlfr.services.redress import redress
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

FALSE_ALERTS = {3, 4}  # positions in SCRIPT


def test_retention_deletes_what_is_due_and_keeps_what_is_held(flow: Flow, vault: Vault) -> None:
    uow = flow.uow
    scripted = scripted_deployment(flow, vault)
    ids = scripted.alert_ids
    review = (CLOSED + timedelta(days=90)).date()
    with pytest.raises(PermissionRefused):
        retention.hold_as_evidence(uow, "otto", ids[0], "assault", review, now=CLOSED)
    with pytest.raises(TransitionRefused, match="review date"):
        retention.hold_as_evidence(uow, "gail", ids[0], "assault", CLOSED.date(), now=CLOSED)
    retention.hold_as_evidence(uow, "gail", ids[0], "Evidence of assault", review, now=CLOSED)
    retention.hold_as_evidence(uow, "gail", ids[3], "Complaint received", review, now=CLOSED)

    # A day after: only the unheld false alert (24 h of match data) is due.
    day = CLOSED + timedelta(days=1)
    plan = retention.schedule(uow, now=day)
    assert [i.entity_id for i in plan.due] == [ids[4]]
    assert {h.alert_id for h in plan.held} == {ids[0], ids[3]}
    run = retention.run_due(lambda: uow, vault, now=day)
    assert run.alerts_deleted == [ids[4]]
    assert retention.run_due(lambda: uow, vault, now=day).alerts_deleted == []

    # After 31 days every alert is due except those held.
    month = CLOSED + timedelta(days=32)
    run = retention.run_due(lambda: uow, vault, now=month)
    assert sorted(run.alerts_deleted) == sorted([ids[1], ids[2], ids[5]])
    assert [a.id for a in alerts.list_alerts(uow, scripted.reference)] == [ids[0], ids[3]]

    with uow:
        assert uow.audit.verify().ok
        receipts = retention.deleted_alerts(uow, scripted.deployment_id)
    assert sorted(r.entity_id for r in receipts) == sorted([ids[1], ids[2], ids[4], ids[5]])
    assert all("image_sha256" in r.before and "alert" in r.after for r in receipts)

    # The report still accounts for every alert, deleted ones from their receipts.
    report = reports.cancellation_report(uow, scripted.reference, now=month)
    assert sorted(a.alert.alert_id for a in report.alerts) == sorted(ids)
    assert report.metrics.alerts == len(SCRIPT)
    assert len(report.deleted) == 4
    assert {k.reason for k in report.kept} == {"Evidence of assault", "Complaint received"}

    # Released, the hold's alert is due at the next run.
    retention.release_hold(uow, "gail", ids[3], "Complaint resolved", now=month)
    assert retention.run_due(lambda: uow, vault, now=month).alerts_deleted == [ids[3]]


def test_redress_finds_listed_and_alerted_references_without_images(
    sqlite_flow: Flow, vault: Vault
) -> None:
    uow = sqlite_flow.uow
    dpo = add_dpo(uow)
    scripted = scripted_deployment(sqlite_flow, vault)
    retention.run_due(lambda: uow, vault, now=CLOSED + timedelta(days=1))  # WL-0005 deleted
    with pytest.raises(PermissionRefused):
        redress(uow, "gail", "WL-0001", now=CLOSED)
    kept = redress(uow, dpo, "WL-0001", now=CLOSED)
    assert [(m.deployment, m.alert.outcome, m.deleted) for m in kept.alerts] == [
        (scripted.reference, SCRIPT[0][4], False)
    ]
    gone = redress(uow, dpo, "WL-0005", now=CLOSED)
    assert [(m.alert.subject, m.deleted) for m in gone.alerts] == [("WL-0005", True)]
    assert redress(uow, dpo, "WL-9999", now=CLOSED).alerts == []


def test_the_scheduler_runs_retention_in_the_background(
    sqlite_uow: UnitOfWork, vault: Vault
) -> None:
    ran = threading.Event()

    def clock() -> datetime:
        ran.set()
        return datetime.now(UTC)

    scheduler = retention.RetentionScheduler(lambda: sqlite_uow, vault, interval=3600, clock=clock)
    scheduler.start()
    assert ran.wait(30)
    scheduler.stop()
    assert scheduler._thread is None
