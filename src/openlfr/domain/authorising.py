"""From policing need to authority: drafting, submitting and the AO's decisions, with guards."""

from __future__ import annotations

from datetime import datetime, timedelta

from openlfr.domain.application import (
    ApplicationForm,
    ApplicationVersion,
    Fields,
    IntelligenceCase,
    Section,
    edited,
)
from openlfr.domain.authority import (
    OralAuthority,
    WrittenAuthority,
    terms_problems,
    written_authority_problems,
)
from openlfr.domain.checks import application_problems
from openlfr.domain.deployment import (
    DecisionKind,
    DecisionRecord,
    Deployment,
    DeploymentId,
    DeploymentRef,
    State,
)
from openlfr.domain.errors import ApplicationIncomplete, AuthorityRefused, TransitionRefused
from openlfr.domain.permissions import (
    require_authorising_officer,
    require_gold_candidate,
    require_role,
)
from openlfr.domain.policy import Policy
from openlfr.domain.roles import Actor, Role


def open_deployment(
    deployment_id: DeploymentId,
    reference: DeploymentRef,
    applicant: Actor,
    case: IntelligenceCase,
    now: datetime,
) -> Deployment:
    """Stage 1: the applicant records the policing need and the intelligence case."""
    require_role(applicant, Role.APPLICANT, "apply for a deployment")
    return Deployment(
        id=deployment_id,
        reference=reference,
        applicant=applicant.username,
        created_at=now,
        intelligence_case=case,
    )


def edit(
    d: Deployment, by: Actor, case: IntelligenceCase | None, form: ApplicationForm | None
) -> None:
    """Only the applicant edits, and only a draft or a sent-back application."""
    d.begin("edit")
    _require_applicant(d, by)
    if case is not None:
        d.intelligence_case = case
    if form is not None:
        d.draft = form


def edit_section(d: Deployment, by: Actor, section: Section, changes: Fields) -> None:
    """The applicant changes some fields of one section; every other field stays as it is."""
    d.begin("edit")
    _require_applicant(d, by)
    d.intelligence_case, d.draft = edited(d.intelligence_case, d.draft, section, changes)


def submit(d: Deployment, by: Actor, policy: Policy, now: datetime) -> ApplicationVersion:
    """Freeze the draft as a new version once nothing the AO needs is missing."""
    d.begin("submit")
    _require_applicant(d, by)
    if problems := application_problems(d.intelligence_case, d.draft, policy, now.date()):
        raise ApplicationIncomplete(problems)
    version = ApplicationVersion(
        number=len(d.versions) + 1, form=d.draft, submitted_by=by.username, submitted_at=now
    )
    d.versions.append(version)
    d.finish("submit")
    return version


def authorise(
    d: Deployment,
    ao: Actor,
    gold: Actor,
    authority: WrittenAuthority,
    policy: Policy,
    now: datetime,
) -> DecisionRecord:
    """Grant the written authority; after an oral one, only its AO and only before it lapses."""
    d.begin("authorise")
    require_authorising_officer(ao, d.applicant, policy)
    if d.state is State.ORAL_AUTHORISED:
        _require_oral_in_force(d, now)
        oral = d.last_decision(DecisionKind.ORAL_AUTHORISED)
        if oral is not None and oral.by != ao.username:
            raise AuthorityRefused(
                f"the written authority must be recorded by {oral.by}, who gave the oral authority"
            )
    form = _decidable_form(d, policy, now)
    if gold.username != authority.terms.gold:
        raise AuthorityRefused("Terms: the Gold named does not match the Gold being confirmed")
    require_gold_candidate(gold, ao, policy)
    if problems := written_authority_problems(authority, form, policy):
        raise AuthorityRefused("; ".join(problems), problems)
    decision = _decide(d, DecisionKind.AUTHORISED, ao, policy, now, written=authority)
    d.command = d.command.model_copy(update={"gold": gold.username})
    d.finish("authorise")
    return decision


def authorise_orally(
    d: Deployment, ao: Actor, gold: Actor, oral: OralAuthority, policy: Policy, now: datetime
) -> DecisionRecord:
    """Urgent route: record the oral authority and the time by which it must be put in writing."""
    d.begin("authorise_orally")
    require_authorising_officer(ao, d.applicant, policy)
    form = _decidable_form(d, policy, now)
    if not oral.urgency_reason.strip():
        raise AuthorityRefused("Urgency: the reason the matter is urgent is not recorded")
    if gold.username != oral.terms.gold:
        raise AuthorityRefused("Terms: the Gold named does not match the Gold being confirmed")
    require_gold_candidate(gold, ao, policy)
    if problems := terms_problems(oral.terms, oral.scrutiny, form, policy):
        raise AuthorityRefused("; ".join(problems), problems)
    decision = _decide(d, DecisionKind.ORAL_AUTHORISED, ao, policy, now, oral=oral)
    d.oral_written_due = now + timedelta(hours=policy.urgent.written_record_hours)
    d.command = d.command.model_copy(update={"gold": gold.username})
    d.finish("authorise_orally")
    return decision


def reject(d: Deployment, ao: Actor, reasons: str, policy: Policy, now: datetime) -> DecisionRecord:
    d.begin("reject")
    require_authorising_officer(ao, d.applicant, policy)
    decision = _decide(d, DecisionKind.REJECTED, ao, policy, now, reasons=_reasons(reasons))
    d.finish("reject")
    return decision


def send_back(
    d: Deployment, ao: Actor, reasons: str, policy: Policy, now: datetime
) -> DecisionRecord:
    """Amendments required: the applicant edits a copy; the submitted version stays as it was."""
    d.begin("send_back")
    require_authorising_officer(ao, d.applicant, policy)
    decision = _decide(d, DecisionKind.SENT_BACK, ao, policy, now, reasons=_reasons(reasons))
    d.draft = d.current_version.form.model_copy(deep=True)
    d.finish("send_back")
    return decision


def lapse(d: Deployment, by: Actor, policy: Policy, now: datetime) -> DecisionRecord:
    """An oral authority not put in writing in time lapses; the deployment cannot go ahead."""
    d.begin("lapse")
    if d.oral_written_due is None or now <= d.oral_written_due:
        raise TransitionRefused(
            f"the oral authority for {d.reference} stands until {d.oral_written_due}"
        )
    reasons = f"no written authority was recorded by {d.oral_written_due.isoformat()}"
    decision = _decide(d, DecisionKind.LAPSED, by, policy, now, reasons=reasons)
    d.finish("lapse")
    return decision


def require_authority_in_force(d: Deployment, now: datetime) -> None:
    """Pre-deployment work may go on under an oral authority only while it stands."""
    if d.state is State.ORAL_AUTHORISED:
        _require_oral_in_force(d, now)


def _require_oral_in_force(d: Deployment, now: datetime) -> None:
    if d.oral_written_due is not None and now > d.oral_written_due:
        raise AuthorityRefused(
            f"the oral authority for {d.reference} lapsed at {d.oral_written_due.isoformat()}: "
            "no written authority was recorded in time. Apply again"
        )


def _require_applicant(d: Deployment, by: Actor) -> None:
    require_role(by, Role.APPLICANT, "edit or submit an application")
    if by.username != d.applicant:
        raise TransitionRefused(
            f"only the applicant ({d.applicant}) may edit or submit this application"
        )


def _decidable_form(d: Deployment, policy: Policy, now: datetime) -> ApplicationForm:
    """The current version, re-checked today: documents can pass review after submission."""
    version = d.current_version
    if problems := application_problems(d.intelligence_case, version.form, policy, now.date()):
        raise ApplicationIncomplete(problems)
    _, end = version.window
    if now >= end:
        raise AuthorityRefused(f"Section 1: the deployment window ended at {end.isoformat()}")
    return version.form


def _reasons(reasons: str) -> str:
    if not reasons.strip():
        raise AuthorityRefused("the AO's reasons for the decision are not recorded")
    return reasons


def _decide(
    d: Deployment,
    kind: DecisionKind,
    by: Actor,
    policy: Policy,
    now: datetime,
    reasons: str = "",
    written: WrittenAuthority | None = None,
    oral: OralAuthority | None = None,
) -> DecisionRecord:
    decision = DecisionRecord(
        kind=kind,
        application_version=d.current_version.number,
        by=by.username,
        at=now,
        policy_version=policy.version,
        reasons=reasons,
        written=written,
        oral=oral,
    )
    d.decisions.append(decision)
    return decision
