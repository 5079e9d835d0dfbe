"""Alert services: the adjudication lifecycle's guards, encrypted images, audited views."""

from __future__ import annotations

from datetime import timedelta

import pytest

from govkit import START, Flow
from openlfr.domain.alerts import Alert, AlertRefused, Candidate, Outcome, Sighting, Verdict
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.metrics import CameraMetrics
from openlfr.services import alerts, deployments
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

AT = START + timedelta(minutes=30)
IMAGE = b"\xff\xd8\xff\xe0 pretend best-shot jpeg"


def _raised(flow: Flow, vault: Vault) -> Alert:
    ref = flow.live()
    deployment_id = _id(flow.uow, ref)
    alert = Alert(
        deployment_id=deployment_id,
        camera="cam-1",
        track="cam-1/7",
        subject="WL-0042",
        score=0.61,
        candidates=[Candidate(subject="WL-0042", score=0.61)],
        best_shot_frame=120,
        best_shot_at=AT,
        raised_at=AT,
        raised_at_frame=125,
    )
    return alerts.record_alert(flow.uow, alert, IMAGE, vault)


def _id(uow: UnitOfWork, ref: str) -> str:
    with uow:
        return uow.deployments.named(ref).id


def _ref(uow: UnitOfWork, alert: Alert) -> DeploymentRef:
    return deployments.deployment_of(uow, alert.deployment_id).reference


def test_the_lifecycle_on_both_databases(flow: Flow, vault: Vault) -> None:
    alert = _raised(flow, vault)
    uow = flow.uow
    alerts.adjudicate(uow, "otto", alert.id, Verdict.TRUE_ALERT, "same scar", now=AT)
    done = alerts.record_engagement(
        uow,
        "eve",
        alert.id,
        engaged=True,
        identity_checked=True,
        outcome=Outcome.ARREST,
        now=AT + timedelta(minutes=3),
    )
    assert done.register_category == "true_alert_confirmed"
    assert [a.status.value for a in alerts.list_alerts(uow, _ref(uow, alert))] == ["concluded"]
    with uow:
        actions = [e.action for e in uow.audit.history("alert", alert.id)]
        assert uow.audit.verify().ok
    assert actions == ["alert.raised", "alert.adjudicated", "alert.engagement_recorded"]


def test_only_a_posted_operator_gives_a_verdict_and_only_once(
    sqlite_flow: Flow, vault: Vault
) -> None:
    alert = _raised(sqlite_flow, vault)
    uow = sqlite_flow.uow
    with pytest.raises(PermissionRefused, match="only the deployment's operators"):
        alerts.adjudicate(uow, "eve", alert.id, Verdict.FALSE_ALERT, now=AT)
    alerts.adjudicate(uow, "otto", alert.id, Verdict.FALSE_ALERT, now=AT)
    with pytest.raises(AlertRefused, match="already has a verdict"):
        alerts.adjudicate(uow, "otto", alert.id, Verdict.TRUE_ALERT, now=AT)


def test_an_engagement_needs_a_verdict_first_and_must_be_consistent(
    sqlite_flow: Flow, vault: Vault
) -> None:
    alert = _raised(sqlite_flow, vault)
    uow = sqlite_flow.uow
    with pytest.raises(AlertRefused, match="no operator verdict yet"):
        alerts.record_engagement(uow, "eve", alert.id, engaged=False, now=AT)
    alerts.adjudicate(uow, "otto", alert.id, Verdict.TRUE_ALERT, now=AT)
    with pytest.raises(PermissionRefused, match="engagement officers"):
        alerts.record_engagement(uow, "otto", alert.id, engaged=False, now=AT)
    with pytest.raises(AlertRefused, match="needs its outcome"):
        alerts.record_engagement(uow, "eve", alert.id, engaged=True, now=AT)
    with pytest.raises(AlertRefused, match="stays unconfirmed"):
        alerts.record_engagement(
            uow, "eve", alert.id, engaged=False, outcome=Outcome.ARREST, now=AT
        )
    done = alerts.record_engagement(uow, "eve", alert.id, engaged=False, now=AT)
    assert done.register_category == "true_alert_unconfirmed"
    with pytest.raises(AlertRefused, match="already has its engagement"):
        alerts.record_engagement(uow, "eve", alert.id, engaged=False, now=AT)


def test_the_image_is_encrypted_and_every_view_is_audited(sqlite_flow: Flow, vault: Vault) -> None:
    alert = _raised(sqlite_flow, vault)
    uow = sqlite_flow.uow
    with uow:
        stored = uow.alerts.image(alert.id)
        assert stored is not None and stored.ciphertext is not None
        assert b"pretend best-shot" not in stored.ciphertext
    assert alerts.view_alert_image(uow, "otto", alert.id, vault, now=AT) == IMAGE
    assert alerts.view_alert_image(uow, "eve", alert.id, vault, now=AT) == IMAGE
    with pytest.raises(PermissionRefused):
        alerts.view_alert_image(uow, "alice", alert.id, vault, now=AT)
    with uow:
        views = [
            (e.actor, e.role)
            for e in uow.audit.history("alert", alert.id)
            if e.action == "alert.image_viewed"
        ]
    assert views == [("otto", "operator"), ("eve", "engagement_officer")]


def test_sightings_join_the_open_alert_and_metrics_are_kept(
    sqlite_flow: Flow, vault: Vault
) -> None:
    alert = _raised(sqlite_flow, vault)
    uow = sqlite_flow.uow
    again = Sighting(camera="cam-2", track="cam-2/3", score=0.58, frame=40, at=AT)
    assert len(alerts.add_sighting(uow, alert.id, again).sightings) == 1
    metrics = CameraMetrics(
        camera="cam-1", run="r1", frames_processed=90, frames_dropped=10, faces_seen=4
    )
    alerts.record_metrics(uow, alert.deployment_id, metrics, now=AT)
    alerts.record_metrics(uow, alert.deployment_id, metrics, now=AT)
    (kept,) = alerts.camera_metrics(uow, _ref(uow, alert))
    assert kept.processed_share == pytest.approx(0.9)
    assert kept.faces_seen == 4  # the same run saved twice is replaced, not added


def test_a_restarted_camera_adds_to_what_its_earlier_run_counted(
    sqlite_flow: Flow, vault: Vault
) -> None:
    alert = _raised(sqlite_flow, vault)
    first = CameraMetrics(camera="cam-1", run="r1", frames_processed=90, faces_seen=4)
    first.gap_started(AT, "stream lost")
    restarted = CameraMetrics(camera="cam-1", run="r2", frames_processed=30, faces_seen=2)
    for run in (first, restarted):
        alerts.record_metrics(sqlite_flow.uow, alert.deployment_id, run, now=AT)
    (kept,) = alerts.camera_metrics(sqlite_flow.uow, _ref(sqlite_flow.uow, alert))
    assert (kept.frames_processed, kept.faces_seen, len(kept.gaps)) == (120, 6, 1)
