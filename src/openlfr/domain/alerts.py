"""An alert and its adjudication: the system's report of a possible match, then the human steps.

The lifecycle follows the MPS register: an operator posted to the deployment gives the verdict
(true or false alert); the engagement officer then records whether the person was engaged, whether
their identity was checked, and the outcome. An alert is *confirmed* when the identity was checked
after an engagement and *unconfirmed* otherwise (the person left, or officers chose not to engage).
Pure rules, no I/O; refusals are `AlertRefused` or `PermissionRefused` with a readable reason."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from openlfr.domain.deployment import DeploymentId
from openlfr.domain.errors import GovernanceError
from openlfr.domain.permissions import require_post
from openlfr.domain.roles import Actor

#: The same subject seen again within this time of the last sighting belongs to the open alert.
EPISODE_WINDOW = timedelta(minutes=2)


class AlertRefused(GovernanceError):
    """The alert is not in a state that allows the requested step."""


class Verdict(StrEnum):
    TRUE_ALERT = "true_alert"
    FALSE_ALERT = "false_alert"


class Outcome(StrEnum):
    ARREST = "arrest"
    OTHER_DISPOSAL = "other_disposal"
    NO_FURTHER_ACTION = "no_further_action"


class AlertStatus(StrEnum):
    RAISED = "raised"
    ADJUDICATED = "adjudicated"
    CONCLUDED = "concluded"


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    score: float


class Sighting(BaseModel):
    """One track that matched the alert's subject: where, when, how well."""

    model_config = ConfigDict(frozen=True)

    camera: str
    track: str
    score: float
    frame: int
    at: AwareDatetime


class Adjudication(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    by: str
    at: AwareDatetime
    note: str = ""


class Engagement(BaseModel):
    """What happened on the ground. Identity and outcome only exist when someone was engaged."""

    model_config = ConfigDict(frozen=True)

    engaged: bool
    identity_checked: bool = False
    outcome: Outcome | None = None
    by: str
    at: AwareDatetime
    note: str = ""


class Alert(BaseModel):
    """One person, one episode: the first sighting raised it, later ones are added to it."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    deployment_id: DeploymentId
    camera: str
    track: str
    subject: str
    """The watchlist record reference (never an image)."""
    score: float
    candidates: list[Candidate]
    best_shot_frame: int
    best_shot_at: AwareDatetime
    raised_at: AwareDatetime
    raised_at_frame: int
    sightings: list[Sighting] = []
    adjudication: Adjudication | None = None
    engagement: Engagement | None = None

    @property
    def status(self) -> AlertStatus:
        if self.engagement is not None:
            return AlertStatus.CONCLUDED
        return AlertStatus.RAISED if self.adjudication is None else AlertStatus.ADJUDICATED

    @property
    def last_seen(self) -> datetime:
        return max([self.best_shot_at, *(s.at for s in self.sightings)])

    @property
    def confirmed(self) -> bool:
        """Identity checked after an engagement (the register's 'confirmed')."""
        return self.engagement is not None and self.engagement.identity_checked

    @property
    def register_category(self) -> str | None:
        """e.g. 'true_alert_confirmed'; None while no verdict has been given."""
        if self.adjudication is None:
            return None
        kind = "confirmed" if self.confirmed else "unconfirmed"
        return f"{self.adjudication.verdict.value}_{kind}"

    def in_episode(self, subject: str, at: datetime, window: timedelta = EPISODE_WINDOW) -> bool:
        """Whether a sighting of `subject` at `at` belongs to this alert rather than a new one."""
        return subject == self.subject and at - self.last_seen <= window


def add_sighting(alert: Alert, sighting: Sighting) -> None:
    alert.sightings = [*alert.sightings, sighting]


def adjudicate(
    alert: Alert,
    operator: Actor,
    operators: list[str],
    verdict: Verdict,
    now: datetime,
    note: str = "",
) -> None:
    """The operator's verdict, given once, only by an operator posted to this deployment."""
    require_post(operator, operators, "operators", "give a verdict on its alerts")
    if alert.adjudication is not None:
        done = alert.adjudication
        raise AlertRefused(
            f"alert {alert.id} already has a verdict ({done.verdict.value} by {done.by} at "
            f"{done.at.isoformat()}); a decided alert is not decided again"
        )
    alert.adjudication = Adjudication(verdict=verdict, by=operator.username, at=now, note=note)


def record_engagement(
    alert: Alert,
    officer: Actor,
    engagement_officers: list[str],
    *,
    engaged: bool,
    identity_checked: bool = False,
    outcome: Outcome | None = None,
    now: datetime,
    note: str = "",
) -> None:
    """The engagement officer's record: after the verdict, once, consistent with itself."""
    require_post(officer, engagement_officers, "engagement officers", "record an engagement")
    if alert.adjudication is None:
        raise AlertRefused(
            f"alert {alert.id} has no operator verdict yet; an engagement or outcome is recorded "
            "only after the operator has reviewed the alert"
        )
    if alert.engagement is not None:
        raise AlertRefused(f"alert {alert.id} already has its engagement recorded")
    if engaged and outcome is None:
        raise AlertRefused("an engagement needs its outcome: arrest, other disposal or no action")
    if not engaged and (outcome is not None or identity_checked):
        raise AlertRefused(
            "no one was engaged, so no identity check or outcome can be recorded; "
            "the alert stays unconfirmed"
        )
    alert.engagement = Engagement(
        engaged=engaged,
        identity_checked=identity_checked,
        outcome=outcome,
        by=officer.username,
        at=now,
        note=note,
    )
