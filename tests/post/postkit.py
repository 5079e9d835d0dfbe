"""A scripted deployment: six alerts with hand-known verdicts and outcomes, one camera's
counters with a lost stream, then stop and close. The hand count is `EXPECTED`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from govkit import END, START, Flow
from openlfr.domain.alerts import Alert, Candidate, Outcome, Verdict
from openlfr.domain.deployment import DeploymentId
from openlfr.domain.metrics import CameraMetrics, Gap
from openlfr.domain.policy import Retention
from openlfr.domain.roles import Actor, Role
from openlfr.services import alerts, operations
from openlfr.services.users import add_user
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

FACES_SEEN = 4000
STOPPED, CLOSED = END - timedelta(minutes=5), END
IMAGE = b"\xff\xd8\xff\xe0 pretend best-shot jpeg"

RETENTION = Retention(
    watchlist_hours_after_close=24, match_data_hours=24, alert_with_footage_days=31
)
"""The bundled MPS policy's periods, for the rules' tests."""
OTTO = Actor(username="otto", display_name="Otto Operator", roles=frozenset({Role.OPERATOR}))

# subject, verdict, engaged, identity checked, outcome
SCRIPT: list[tuple[str, Verdict | None, bool | None, bool, Outcome | None]] = [
    ("WL-0001", Verdict.TRUE_ALERT, True, True, Outcome.ARREST),
    ("WL-0002", Verdict.TRUE_ALERT, True, True, Outcome.OTHER_DISPOSAL),
    ("WL-0003", Verdict.TRUE_ALERT, False, False, None),
    ("WL-0004", Verdict.FALSE_ALERT, True, True, Outcome.NO_FURTHER_ACTION),
    ("WL-0005", Verdict.FALSE_ALERT, False, False, None),
    ("WL-0006", None, None, False, None),
]
EXPECTED = {
    "alerts": 6,
    "true_confirmed": 2,
    "true_unconfirmed": 1,
    "false_confirmed": 1,
    "false_unconfirmed": 1,
    "unadjudicated": 1,
    "arrest": 1,
    "other_disposal": 1,
    "no_further_action": 1,
    "false_alert_rate": 2 / FACES_SEEN,
    "watchlist_size": 380,
    "threshold": 0.45,
}


@dataclass
class Scripted:
    reference: str
    deployment_id: str
    alert_ids: list[str]


def new_alert(
    deployment_id: str, n: int, subject: str, at: datetime, camera: str = "cam-1"
) -> Alert:
    """The `n`th alert of a deployment, raised at `at` for `subject`."""
    score = 0.5 + n / 100
    return Alert(
        deployment_id=DeploymentId(deployment_id),
        camera=camera,
        track=f"{camera}/{n}",
        subject=subject,
        score=score,
        candidates=[Candidate(subject=subject, score=score)],
        best_shot_frame=10 * n,
        best_shot_at=at,
        raised_at=at,
        raised_at_frame=10 * n + 3,
    )


def add_dpo(uow: UnitOfWork) -> str:
    dpo = Actor(username="dora", display_name="Dora DPO", roles=frozenset({Role.DPO}))
    add_user(uow, "admin", dpo, now=START - timedelta(days=1))
    return dpo.username


def scripted_deployment(flow: Flow, vault: Vault, close: bool = True) -> Scripted:
    uow = flow.uow
    ref = flow.live()
    with uow:
        deployment_id = uow.deployments.named(ref).id
    ids = []
    for n, (subject, verdict, engaged, checked, outcome) in enumerate(SCRIPT):
        at = START + timedelta(minutes=20 + 10 * n)
        alert = new_alert(deployment_id, n, subject, at)
        alerts.record_alert(uow, alert, IMAGE, vault)
        if verdict is not None:
            alerts.adjudicate(uow, "otto", alert.id, verdict, now=at + timedelta(minutes=1))
            alerts.record_engagement(
                uow,
                "eve",
                alert.id,
                engaged=bool(engaged),
                identity_checked=checked,
                outcome=outcome,
                now=at + timedelta(minutes=3),
            )
        ids.append(alert.id)
    lost = START + timedelta(hours=1)
    camera = CameraMetrics(
        camera="cam-1",
        started_at=START + timedelta(minutes=5),
        updated_at=STOPPED,
        frames_processed=90_000,
        frames_dropped=1_000,
        faces_seen=FACES_SEEN,
        alerts=len(SCRIPT),
        reconnects=1,
        gaps=[Gap(started=lost, ended=lost + timedelta(minutes=4), reason="stream lost")],
    )
    alerts.record_metrics(uow, deployment_id, camera, now=STOPPED)
    operations.pause(uow, "gail", ref, "crowd surge at the exit", now=START + timedelta(hours=2))
    operations.resume(uow, "gail", ref, now=START + timedelta(hours=2, minutes=15))
    if close:
        operations.stop(uow, "gail", ref, "Window ending", now=STOPPED)
        operations.close(uow, "gail", ref, "Ran as authorised", now=CLOSED)
    return Scripted(ref, deployment_id, ids)
