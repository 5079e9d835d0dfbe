"""How long a deployment's data may be kept, and who may keep or destroy it: pure rules that the
alert sweep, the evidence holds and the watchlist destruction share.

A false alert is match data with no policing value and goes after `match_data_hours`; every other
alert, after `alert_with_footage_days`. A watchlist snapshot goes once its deployment can no
longer run, within `watchlist_hours_after_close` of its closure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.alerts import Alert, Verdict
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef, State
from openlfr.domain.errors import PermissionRefused, TransitionRefused
from openlfr.domain.policy import Retention
from openlfr.domain.roles import SYSTEM, Actor, Role

FINISHED = frozenset({State.CLOSED, State.PUBLISHED, State.REJECTED, State.LAPSED})
"""After these states a deployment's watchlist has no further use and must go."""


class EvidenceHold(BaseModel):
    """An alert kept as evidence of an offence: the recorded reason and when to look again."""

    model_config = ConfigDict(frozen=True)

    alert_id: str
    deployment_id: DeploymentId
    reason: str
    review_date: date
    held_by: str
    held_at: AwareDatetime


class DueItem(BaseModel):
    """One thing the retention policy will delete, and when."""

    model_config = ConfigDict(frozen=True)

    kind: str
    entity_id: str
    deployment: DeploymentRef
    due_at: AwareDatetime
    rule: str


class RetentionSchedule(BaseModel):
    """What is due now, what later, what is held and why, and which holds need a review."""

    now: AwareDatetime
    due: list[DueItem]
    upcoming: list[DueItem]
    held: list[EvidenceHold]
    review_overdue: list[EvidenceHold]


def alert_due_at(alert: Alert, retention: Retention) -> tuple[datetime, str]:
    """When an alert's image and record must be gone, and the rule that says so."""
    if alert.adjudication is not None and alert.adjudication.verdict is Verdict.FALSE_ALERT:
        hours = retention.match_data_hours
        return alert.raised_at + timedelta(hours=hours), f"false alert: {hours} h"
    days = retention.alert_with_footage_days
    return alert.raised_at + timedelta(days=days), f"alert with footage: {days} days"


def watchlist_deadline(deployment: Deployment, retention: Retention) -> datetime | None:
    """When the deployment's watchlist must be destroyed by (None before it is closed)."""
    if deployment.closure is None:
        return None
    return deployment.closure.at + timedelta(hours=retention.watchlist_hours_after_close)


def keeper_role(actor: Actor, deployment: Deployment, to: str) -> Role:
    """The deployment's Gold or the data protection officer keeps and destroys its data; the
    system sweep acts as administrator. Anyone else is refused, naming what they tried."""
    if actor.username == SYSTEM.username:
        return Role.ADMINISTRATOR
    if actor.username == deployment.command.gold:
        return Role.GOLD
    if actor.has(Role.DPO):
        return Role.DPO
    raise PermissionRefused(
        f"only {deployment.reference}'s Gold or the data protection officer may {to}; "
        f"{actor.username} is neither"
    )


def new_hold(
    alert: Alert, actor: str, reason: str, review_date: date, now: datetime
) -> EvidenceHold:
    """A hold needs the reason the data is kept and a review date in the future."""
    if not reason.strip():
        raise TransitionRefused("an evidence hold needs the reason the data is kept")
    if review_date <= now.date():
        raise TransitionRefused("an evidence hold needs a review date in the future")
    return EvidenceHold(
        alert_id=alert.id,
        deployment_id=alert.deployment_id,
        reason=reason,
        review_date=review_date,
        held_by=actor,
        held_at=now,
    )


def require_release_reason(reason: str) -> None:
    """Ending a hold needs a reason (case closed, or not needed), as keeping the data did."""
    if not reason.strip():
        raise TransitionRefused("releasing an evidence hold needs a reason")


def retention_schedule(
    now: datetime,
    retention: Retention,
    deployments: Sequence[Deployment],
    alerts: Iterable[Alert],
    live_snapshots: Mapping[DeploymentId, list[str]],
    holds: Mapping[str, EvidenceHold],
) -> RetentionSchedule:
    """What the policy deletes and when: every alert not held as evidence (`alert_due_at`), and
    every undestroyed watchlist snapshot (`live_snapshots`, by deployment) of a finished
    deployment, due from its closure. Holds past their review date are listed to be looked at,
    never dropped."""
    finished = [d for d in deployments if d.state in FINISHED]
    references = {d.id: d.reference for d in deployments}
    items = [_alert_item(a, references[a.deployment_id], retention) for a in alerts]
    items = [i for i in items if i.entity_id not in holds]
    hours = retention.watchlist_hours_after_close
    items += [
        DueItem(
            kind="watchlist_snapshot",
            entity_id=snapshot_id,
            deployment=d.reference,
            due_at=d.closure.at if d.closure else d.created_at,
            rule=f"watchlist: destroyed once the deployment ends, at most {hours} h after close",
        )
        for d in finished
        for snapshot_id in live_snapshots.get(d.id, [])
    ]
    return RetentionSchedule(
        now=now,
        due=sorted((i for i in items if i.due_at <= now), key=lambda i: i.due_at),
        upcoming=sorted((i for i in items if i.due_at > now), key=lambda i: i.due_at),
        held=list(holds.values()),
        review_overdue=[h for h in holds.values() if h.review_date <= now.date()],
    )


def _alert_item(alert: Alert, deployment: DeploymentRef, retention: Retention) -> DueItem:
    due_at, rule = alert_due_at(alert, retention)
    return DueItem(
        kind="alert", entity_id=alert.id, deployment=deployment, due_at=due_at, rule=rule
    )
