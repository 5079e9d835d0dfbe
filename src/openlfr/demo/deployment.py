"""The demo deployment's life through the real services, each step taken by the person whose
post it is: applied for, authorised, prepared and started; then stopped, closed, swept by the
retention run, reported on and published."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openlfr.demo import examples
from openlfr.demo.cast import AO, APPLICANT, BRONZE, ENGAGEMENT, GOLD_COMMANDER, OPERATOR, SILVER
from openlfr.demo.watchlist import Casting, write_records
from openlfr.domain.command import ChecklistItem
from openlfr.domain.deployment import DeploymentId, DeploymentRef, State
from openlfr.domain.register import RegisterEntry
from openlfr.domain.roles import Role
from openlfr.services import deployments, operations, reports
from openlfr.services.retention import RetentionRun, run_due
from openlfr.services.watchlist_import import ImportReport, import_records
from openlfr.services.watchlists import SnapshotReport, build_snapshot
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

UowFactory = Callable[[], UnitOfWork]
CAMERA = "cam-1"
LOCATION = "OpenLFR demo: synthetic walk-past (no real place)"
WINDOW = timedelta(hours=2)
GOLD = GOLD_COMMANDER.username


@dataclass(frozen=True)
class Prepared:
    reference: DeploymentRef
    deployment_id: DeploymentId
    imported: ImportReport
    snapshot: SnapshotReport


def apply_and_authorise(uow: UowFactory, now: datetime) -> DeploymentRef:
    """The applicant files the example case and form for a window open now; the AO authorises
    it on the example authority, for the demo's one camera."""
    start = now - timedelta(minutes=1)
    form = examples.form(start, start + WINDOW, place={"location": LOCATION})
    ref = deployments.open_deployment(uow(), APPLICANT.username, examples.case(), now=now).reference
    deployments.edit_application(uow(), APPLICANT.username, ref, form=form, now=now)
    deployments.submit(uow(), APPLICANT.username, ref, now=now)
    authority = examples.authority(terms={"cameras": [CAMERA]})
    deployments.authorise(uow(), AO.username, ref, authority, now=now)
    return ref


def prepare(
    uow: UowFactory, ref: DeploymentRef, casting: Casting, work: Path, vault: Vault
) -> Prepared:
    """Gold appoints the command and works the checklist; the applicant imports the records;
    Gold freezes the watchlist snapshot; then ready and live."""
    now = datetime.now(UTC)
    for post, person in (
        (Role.SILVER, SILVER),
        (Role.BRONZE, BRONZE),
        (Role.OPERATOR, OPERATOR),
        (Role.ENGAGEMENT_OFFICER, ENGAGEMENT),
    ):
        operations.appoint(uow(), GOLD, ref, post, [person.username], now=now)
    notes = {
        ChecklistItem.ADVANCE_NOTICE: "Demo: no public notice needed, nobody real is filmed",
        ChecklistItem.SIGNAGE: "Demo: the walk-past is synthetic",
        ChecklistItem.ROLES: "",
        ChecklistItem.TRAINED_PERSONNEL: "Demo accounts",
    }
    for item, note in notes.items():
        operations.tick(uow(), GOLD, ref, item, note, now=now)
    records = write_records(casting, work / "watchlist.csv", now.date())
    imported = import_records(uow(), APPLICANT.username, records, casting.root, vault, now=now)
    snapshot = build_snapshot(uow(), GOLD, ref, vault, now=now)
    operations.record_cameras(uow(), GOLD, ref, [CAMERA], now=now)
    operations.mark_ready(uow(), GOLD, ref, now=now)
    deployment = operations.start(uow(), GOLD, ref, now=datetime.now(UTC))
    return Prepared(ref, deployment.id, imported, snapshot)


@dataclass(frozen=True)
class Outcome:
    retention: RetentionRun
    register: RegisterEntry


def wind_up(uow: UowFactory, ref: DeploymentRef, vault: Vault, reason: str) -> Outcome:
    """Gold stops (unless the console already did) and closes; the retention run destroys the
    watchlist; Gold submits the cancellation report and publishes."""
    if deployments.get_deployment(uow(), ref).state in {State.LIVE, State.PAUSED}:
        operations.stop(uow(), GOLD, ref, reason)
    operations.close(uow(), GOLD, ref, "Demo run on a synthetic walk-past")
    retention = run_due(uow, vault)
    reports.submit_report(
        uow(),
        GOLD,
        ref,
        evaluation="A demonstration on redistributable photos; no real person was filmed.",
        lessons="None for policing: this deployment shows the software end to end.",
    )
    operations.publish(uow(), GOLD, ref)
    entry = next(e for e in reports.register_entries(uow()) if e.reference == ref)
    return Outcome(retention, entry)
