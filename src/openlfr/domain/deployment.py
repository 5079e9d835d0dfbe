"""The deployment aggregate and its state machine: which step is allowed from which state.

The guards for each step live in `authorising.py` (need to authority) and `operating.py`
(authority to publication); both go through `Deployment.begin`/`finish` so the table below is
the single statement of the machine."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NewType

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.application import ApplicationForm, ApplicationVersion, IntelligenceCase
from openlfr.domain.authority import AuthorityTerms, OralAuthority, WrittenAuthority
from openlfr.domain.command import CommandStructure, PreDeploymentChecklist
from openlfr.domain.errors import TransitionRefused

DeploymentId = NewType("DeploymentId", str)
"""The internal key of a deployment (a UUID hex), used between tables and processes."""
DeploymentRef = NewType("DeploymentRef", str)
"""The name people use for a deployment (`LFR-20261201-AB12CD`): in URLs, commands, the register."""


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    REJECTED = "rejected"
    ORAL_AUTHORISED = "oral_authorised"
    AUTHORISED = "authorised"
    LAPSED = "lapsed"
    READY = "ready"
    LIVE = "live"
    PAUSED = "paused"
    STOPPED = "stopped"
    CLOSED = "closed"
    PUBLISHED = "published"


S = State
PREPARING = frozenset({S.ORAL_AUTHORISED, S.AUTHORISED})

TRANSITIONS: dict[str, tuple[frozenset[State], State | None]] = {
    "edit": (frozenset({S.DRAFT, S.SENT_BACK}), None),
    "submit": (frozenset({S.DRAFT, S.SENT_BACK}), S.SUBMITTED),
    "authorise": (frozenset({S.SUBMITTED, S.ORAL_AUTHORISED}), S.AUTHORISED),
    "authorise_orally": (frozenset({S.SUBMITTED}), S.ORAL_AUTHORISED),
    "reject": (frozenset({S.SUBMITTED}), S.REJECTED),
    "send_back": (frozenset({S.SUBMITTED}), S.SENT_BACK),
    "lapse": (frozenset({S.ORAL_AUTHORISED}), S.LAPSED),
    "appoint": (PREPARING, None),
    "checklist": (PREPARING, None),
    "mark_ready": (frozenset({S.AUTHORISED}), S.READY),
    "start": (frozenset({S.READY}), S.LIVE),
    "pause": (frozenset({S.LIVE}), S.PAUSED),
    "resume": (frozenset({S.PAUSED}), S.LIVE),
    "stop": (frozenset({S.LIVE, S.PAUSED}), S.STOPPED),
    "close": (frozenset({S.STOPPED}), S.CLOSED),
    "report": (frozenset({S.CLOSED}), None),
    "publish": (frozenset({S.CLOSED}), S.PUBLISHED),
}
"""step -> (states it may be taken from, state it leads to; None keeps the state)."""


class DecisionKind(StrEnum):
    AUTHORISED = "authorised"
    ORAL_AUTHORISED = "oral_authorised"
    REJECTED = "rejected"
    SENT_BACK = "sent_back"
    LAPSED = "lapsed"


class DecisionRecord(BaseModel):
    """One decision on one application version, under one policy version, never edited."""

    model_config = ConfigDict(frozen=True)

    kind: DecisionKind
    application_version: int
    by: str
    at: AwareDatetime
    policy_version: str
    reasons: str = ""
    written: WrittenAuthority | None = None
    oral: OralAuthority | None = None


class LiveEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    at: AwareDatetime
    by: str
    reason: str = ""


class Signed(BaseModel):
    """A step recorded by someone at a time, with its text (closure, report, publication)."""

    model_config = ConfigDict(frozen=True)

    by: str
    at: AwareDatetime
    text: str = ""


class Deployment(BaseModel):
    """One overt use of LFR at one place, for one window, with one watchlist."""

    id: DeploymentId
    reference: DeploymentRef
    applicant: str
    created_at: AwareDatetime
    state: State = State.DRAFT
    intelligence_case: IntelligenceCase = IntelligenceCase()
    draft: ApplicationForm = ApplicationForm()
    versions: list[ApplicationVersion] = []
    decisions: list[DecisionRecord] = []
    oral_written_due: AwareDatetime | None = None
    command: CommandStructure = CommandStructure()
    checklist: PreDeploymentChecklist = PreDeploymentChecklist()
    live_events: list[LiveEvent] = []
    closure: Signed | None = None
    cancellation_report: Signed | None = None
    publication: Signed | None = None

    def begin(self, step: str) -> None:
        """Refuse the step unless the current state allows it."""
        allowed, _ = TRANSITIONS[step]
        if self.state in allowed:
            return
        if self.state in {S.CLOSED, S.PUBLISHED} and step not in {"report", "publish"}:
            raise TransitionRefused(
                f"Deployment {self.reference} is {self.state.value}; a closed deployment cannot "
                "be reopened. Apply for a new deployment instead"
            )
        wanted = ", ".join(sorted(s.value for s in allowed))
        raise TransitionRefused(
            f"Deployment {self.reference} is {self.state.value}; '{step.replace('_', ' ')}' "
            f"needs it to be {wanted}"
        )

    def finish(self, step: str) -> None:
        _, target = TRANSITIONS[step]
        if target is not None:
            self.state = target

    @property
    def current_version(self) -> ApplicationVersion:
        if not self.versions:
            raise TransitionRefused(f"Deployment {self.reference} has no submitted application")
        return self.versions[-1]

    def last_decision(self, *kinds: DecisionKind) -> DecisionRecord | None:
        return next((d for d in reversed(self.decisions) if d.kind in kinds), None)

    @property
    def written_authority(self) -> WrittenAuthority | None:
        decision = self.last_decision(DecisionKind.AUTHORISED)
        return decision.written if decision else None

    @property
    def terms(self) -> AuthorityTerms:
        """The terms in force: the written authority's, else the oral one's while it stands."""
        if (written := self.written_authority) is not None:
            return written.terms
        decision = self.last_decision(DecisionKind.ORAL_AUTHORISED)
        if decision is None or decision.oral is None:
            raise TransitionRefused(f"Deployment {self.reference} has no authority")
        return decision.oral.terms

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.current_version.window

    @property
    def actual_start(self) -> datetime | None:
        return next((e.at for e in self.live_events if e.kind == "started"), None)

    @property
    def actual_end(self) -> datetime | None:
        return next((e.at for e in self.live_events if e.kind == "stopped"), None)
