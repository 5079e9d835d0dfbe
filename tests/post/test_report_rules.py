"""What the cancellation report and the register count, and who files equitability evidence,
as pure rules over domain values: no database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from postkit import CLOSED, OTTO, RETENTION, STOPPED, new_alert

from govkit import END, START, T0, authority, case, form
from openlfr.domain import alerts as rules
from openlfr.domain.alerts import Alert, Outcome, Verdict
from openlfr.domain.application import ApplicationVersion
from openlfr.domain.audit import AuditEntry
from openlfr.domain.cancellation import (
    CancellationReport,
    DeploymentRecord,
    assemble,
    register_of,
)
from openlfr.domain.command import PreDeploymentChecklist, WatchlistImport
from openlfr.domain.deployment import (
    DecisionKind,
    DecisionRecord,
    Deployment,
    DeploymentId,
    DeploymentRef,
    LiveEvent,
    Signed,
    State,
)
from openlfr.domain.equitability import FILERS, RECORDERS, EvidenceReliedOn, acting_role
from openlfr.domain.errors import PermissionRefused, TransitionRefused
from openlfr.domain.metrics import CameraMetrics, Gap
from openlfr.domain.register import AlertSummary
from openlfr.domain.retention import EvidenceHold
from openlfr.domain.roles import Actor, Role

EVE = Actor(username="eve", display_name="PC Eve", roles=frozenset({Role.ENGAGEMENT_OFFICER}))


def _closed(reference: str = "LFR-1", authorised: bool = True) -> Deployment:
    decision = DecisionRecord(
        kind=DecisionKind.AUTHORISED,
        application_version=1,
        by="bob",
        at=T0 + timedelta(minutes=30),
        policy_version="mps-1",
        written=authority(),
    )
    return Deployment(
        id=DeploymentId(f"id-{reference}"),
        reference=DeploymentRef(reference),
        applicant="alice",
        created_at=T0,
        state=State.CLOSED,
        intelligence_case=case(),
        versions=[ApplicationVersion(number=1, form=form(), submitted_by="alice", submitted_at=T0)],
        decisions=[decision] if authorised else [],
        checklist=PreDeploymentChecklist(
            watchlist=WatchlistImport(snapshot_hash="sha256:s", size=380, categories=["wanted"])
        ),
        live_events=[
            LiveEvent(kind="started", at=START, by="gail"),
            LiveEvent(kind="stopped", at=STOPPED, by="gail", reason="Window ending"),
        ],
        closure=Signed(by="gail", at=CLOSED),
    )


def _concluded(alert: Alert, verdict: Verdict, outcome: Outcome | None) -> Alert:
    rules.adjudicate(alert, OTTO, ["otto"], verdict, alert.raised_at)
    engaged = outcome is not None
    rules.record_engagement(
        alert, EVE, ["eve"], engaged=engaged, identity_checked=engaged, outcome=outcome,
        now=alert.raised_at,
    )  # fmt: skip
    return alert


def _deleted(alert: Alert) -> AuditEntry:
    """The receipt the retention run leaves for a deleted alert."""
    return AuditEntry(
        seq=1, at=CLOSED.isoformat(), actor="system", role="administrator",
        action="retention.alert_deleted", entity_type="alert", entity_id=alert.id,
        before={}, after={"alert": AlertSummary.of(alert).model_dump(mode="json"),
                          "rule": "false alert: 24 h"},
    )  # fmt: skip


def _record(
    d: Deployment, held: list[Alert], deleted: list[Alert], hold: Alert
) -> DeploymentRecord:
    lost = START + timedelta(hours=1)
    camera = CameraMetrics(
        camera="cam-1", faces_seen=4000, frames_processed=900,
        gaps=[Gap(started=lost, ended=lost + timedelta(minutes=4), reason="stream lost")],
    )  # fmt: skip
    kept_as_evidence = EvidenceHold(
        alert_id=hold.id, deployment_id=d.id, reason="Evidence of assault",
        review_date=(CLOSED + timedelta(days=90)).date(), held_by="gail", held_at=CLOSED,
    )  # fmt: skip
    return DeploymentRecord(
        deployment=d,
        alerts=held,
        cameras=[camera],
        holds={hold.id: kept_as_evidence},
        deleted=[_deleted(a) for a in deleted],
        destroyed=[],
        evidence=EvidenceReliedOn("sha256:abc", 2),
        retention=RETENTION,
    )


def test_the_report_counts_kept_held_and_deleted_alerts_alike() -> None:
    d = _closed()
    at = [START + timedelta(minutes=20 + 10 * n) for n in range(4)]
    arrest = _concluded(new_alert(d.id, 0, "WL-0001", at[0]), Verdict.TRUE_ALERT, Outcome.ARREST)
    held = _concluded(new_alert(d.id, 1, "WL-0002", at[1]), Verdict.TRUE_ALERT, None)
    gone = _concluded(new_alert(d.id, 2, "WL-0003", at[2]), Verdict.FALSE_ALERT, None)
    pending = new_alert(d.id, 3, "WL-0004", at[3], camera="cam-2")
    report = assemble(_record(d, [arrest, held, pending], [gone], held), "", "", CLOSED)

    assert [(a.alert.alert_id, a.status) for a in report.alerts] == [
        (arrest.id, f"kept until {at[0] + timedelta(days=31):%Y-%m-%d %H:%M}"),
        (held.id, "held as evidence"),
        (gone.id, "deleted"),
        (pending.id, f"kept until {at[3] + timedelta(days=31):%Y-%m-%d %H:%M}"),
    ]
    m = report.metrics
    assert (m.alerts, m.true_confirmed, m.true_unconfirmed, m.false_unconfirmed) == (4, 1, 1, 1)
    assert (m.unadjudicated, m.outcomes[Outcome.ARREST], m.faces_seen) == (1, 1, 4000)
    assert [(c.camera, c.alerts) for c in report.cameras] == [("cam-1", 3)]
    assert [k.reason for k in report.kept] == [
        "within its retention period (alert with footage: 31 days)",
        "Evidence of assault",
        "within its retention period (alert with footage: 31 days)",
    ]
    assert [d.what for d in report.deleted] == [f"alert {gone.id} (image and record)"]
    assert [e.kind for e in report.timeline] == ["started", "camera stream lost", "stopped"]
    assert report.equitability_evidence == "version 2, sha256:abc"


def test_no_report_without_a_written_authority() -> None:
    d = _closed(authorised=False)
    with pytest.raises(TransitionRefused, match="no written authority"):
        assemble(_record(d, [], [], new_alert(d.id, 0, "WL-1", START)), "", "", CLOSED)


def test_the_register_lists_by_start_then_reference_never_started_last() -> None:
    def report(reference: str, started: bool, hours: int) -> CancellationReport:
        d = _closed(reference)
        d.live_events = [
            LiveEvent(kind=e.kind, at=e.at + timedelta(hours=hours), by=e.by)
            for e in d.live_events
            if started
        ]
        return assemble(_record(d, [], [], new_alert(d.id, 0, "WL-1", START)), "", "", END)

    reports = [report("LFR-C", False, 0), report("LFR-B", True, 1), report("LFR-A", True, 1)]
    reports.append(report("LFR-D", True, 0))
    assert [e.reference for e in register_of(reports)] == ["LFR-D", "LFR-A", "LFR-B", "LFR-C"]


@pytest.mark.parametrize(
    ("roles", "wanted", "acting"),
    [
        ({Role.DPO, Role.ADMINISTRATOR}, FILERS, Role.ADMINISTRATOR),
        ({Role.DPO}, FILERS, Role.DPO),
        ({Role.GOLD}, RECORDERS, Role.GOLD),
        ({Role.AUTHORISING_OFFICER, Role.GOLD}, RECORDERS, Role.AUTHORISING_OFFICER),
    ],
)
def test_evidence_is_filed_and_relied_on_in_the_first_role_held(
    roles: set[Role], wanted: tuple[Role, ...], acting: Role
) -> None:
    actor = Actor(username="x", display_name="X", roles=frozenset(roles))
    assert acting_role(actor, wanted, "file it") is acting


def test_anyone_else_is_refused_naming_the_roles() -> None:
    alice = Actor(username="alice", display_name="PS Alice", roles=frozenset({Role.APPLICANT}))
    with pytest.raises(PermissionRefused, match="alice needs the administrator or dpo role"):
        acting_role(alice, FILERS, "file equitability evidence")
    assert str(EvidenceReliedOn("sha256:abc", None)) == "version ?, sha256:abc"
