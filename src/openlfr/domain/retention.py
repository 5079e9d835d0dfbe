"""How long a deployment's data may be kept, and who may keep or destroy it: pure rules that the
alert sweep, the evidence holds and the watchlist destruction share.

A false alert is match data with no policing value and goes after `match_data_hours`; every other
alert, after `alert_with_footage_days`. A watchlist snapshot goes once its deployment can no
longer run, within `watchlist_hours_after_close` of its closure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.alerts import Alert, Verdict
from openlfr.domain.deployment import Deployment, DeploymentId, State
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
