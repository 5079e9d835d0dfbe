"""Need to authority: open, edit, submit, and the AO's decisions (including the urgent route)."""

from __future__ import annotations

import uuid
from datetime import datetime

from openlfr.domain import authorising
from openlfr.domain.application import ApplicationForm, Fields, IntelligenceCase, Section
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.authority import AuthorityTerms, OralAuthority, WrittenAuthority
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef, State
from openlfr.domain.roles import SYSTEM, Role
from openlfr.services.clock import now_or
from openlfr.services.steps import Step, change_deployment
from openlfr.store.uow import UnitOfWork


def open_deployment(
    uow: UnitOfWork,
    by: str,
    case: IntelligenceCase,
    reference: DeploymentRef | None = None,
    now: datetime | None = None,
) -> Deployment:
    """Stage 1: the applicant records the policing need and intelligence case (Form 3)."""
    now = now_or(now)
    deployment_id = DeploymentId(uuid.uuid4().hex)
    reference = reference or DeploymentRef(f"LFR-{now:%Y%m%d}-{deployment_id[:6].upper()}")
    with uow:
        applicant = uow.actors.get(by)
        deployment = authorising.open_deployment(deployment_id, reference, applicant, case, now)
        uow.deployments.add(deployment, now)
        after = deployment.model_dump(mode="json")
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.APPLICANT,
                action="deployment.opened",
                entity=Entity("deployment", deployment_id),
                after=after,
                at=now,
            )
        )
        uow.commit()
    return deployment


def edit_application(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    case: IntelligenceCase | None = None,
    form: ApplicationForm | None = None,
    now: datetime | None = None,
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        authorising.edit(d, step.actor, case, form)

    return change_deployment(
        uow, by, ref, "application.edited", Role.APPLICANT, change, now_or(now)
    )


def edit_section(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    section: Section,
    changes: Fields,
    now: datetime | None = None,
) -> Deployment:
    """Change the named fields of one section, merged into the draft as it is when the change
    is saved: an edit waits for a concurrent one instead of overwriting or failing it."""

    def change(d: Deployment, step: Step) -> None:
        authorising.edit_section(d, step.actor, section, changes)

    return change_deployment(
        uow, by, ref, "application.edited", Role.APPLICANT, change, now_or(now), exclusive=True
    )


def submit(uow: UnitOfWork, by: str, ref: DeploymentRef, now: datetime | None = None) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        authorising.submit(d, step.actor, step.policy, step.now)

    return change_deployment(
        uow, by, ref, "application.submitted", Role.APPLICANT, change, now_or(now)
    )


def authorise(
    uow: UnitOfWork,
    by: str,
    ref: DeploymentRef,
    authority: WrittenAuthority,
    now: datetime | None = None,
) -> Deployment:
    """Form 1 Part 2; after an oral authority this is its written record."""

    def change(d: Deployment, step: Step) -> None:
        gold = step.person(authority.terms.gold)
        authorising.authorise(d, step.actor, gold, authority, step.policy, step.now)

    return change_deployment(
        uow, by, ref, "application.authorised", Role.AUTHORISING_OFFICER, change, now_or(now)
    )


def authorise_orally(
    uow: UnitOfWork, by: str, ref: DeploymentRef, oral: OralAuthority, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        gold = step.person(oral.terms.gold)
        authorising.authorise_orally(d, step.actor, gold, oral, step.policy, step.now)

    return change_deployment(
        uow, by, ref, "application.oral_authorised", Role.AUTHORISING_OFFICER, change, now_or(now)
    )


def reject(
    uow: UnitOfWork, by: str, ref: DeploymentRef, reasons: str, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        authorising.reject(d, step.actor, reasons, step.policy, step.now)

    return change_deployment(
        uow, by, ref, "application.rejected", Role.AUTHORISING_OFFICER, change, now_or(now)
    )


def send_back(
    uow: UnitOfWork, by: str, ref: DeploymentRef, reasons: str, now: datetime | None = None
) -> Deployment:
    def change(d: Deployment, step: Step) -> None:
        authorising.send_back(d, step.actor, reasons, step.policy, step.now)

    return change_deployment(
        uow, by, ref, "application.sent_back", Role.AUTHORISING_OFFICER, change, now_or(now)
    )


def lapse_overdue(uow: UnitOfWork, now: datetime | None = None) -> list[DeploymentRef]:
    """Lapse every oral authority whose written record is overdue; returns their references."""
    now = now_or(now)
    with uow:
        overdue = [
            d.reference
            for d in uow.deployments.list(State.ORAL_AUTHORISED)
            if d.oral_written_due is not None and now > d.oral_written_due
        ]

    def change(d: Deployment, step: Step) -> None:
        authorising.lapse(d, step.actor, step.policy, step.now)

    for reference in overdue:
        change_deployment(
            uow, SYSTEM.username, reference, "authority.lapsed", Role.ADMINISTRATOR, change, now
        )
    return overdue


def get_deployment(uow: UnitOfWork, ref: DeploymentRef) -> Deployment:
    """Read one deployment by its reference (no actor needed to read)."""
    with uow:
        return uow.deployments.named(ref)


def deployment_of(uow: UnitOfWork, deployment_id: DeploymentId) -> Deployment:
    """Read the deployment a record (an alert, a snapshot) points at by its id."""
    with uow:
        return uow.deployments.get(deployment_id)


def list_deployments(uow: UnitOfWork, state: State | None = None) -> list[Deployment]:
    with uow:
        return uow.deployments.list(state)


def approved_terms(uow: UnitOfWork, ref: DeploymentRef) -> AuthorityTerms:
    """What the watchlist builder and live engine are held to: threshold, cameras, categories,
    special categories, maximum size and Gold."""
    return get_deployment(uow, ref).terms
