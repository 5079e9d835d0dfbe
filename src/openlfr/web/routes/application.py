"""The applicant's work: open a deployment with its intelligence case (Form 3), fill in the
eight sections of Form 1 Part 1 one page at a time, and submit it to the AO."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from openlfr.domain.application import ApplicationForm, IntelligenceCase
from openlfr.domain.checks import application_problems
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.errors import ApplicationIncomplete
from openlfr.domain.roles import Actor, Role
from openlfr.services import deployments
from openlfr.services.policy import show_policy
from openlfr.web import application_form as af
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.pages import redirect, render

router = APIRouter()
Applicant = Annotated[Actor, Depends(Allow(Role.APPLICANT))]
Reader = Annotated[
    Actor, Depends(Allow(Role.APPLICANT, Role.AUTHORISING_OFFICER, Role.DPO, Role.AUDITOR))
]


@router.get("/deployments/new")
def new_page(request: Request, actor: Applicant) -> Response:
    case = af.section(show_policy(unit_of_work(request)), "case")
    values = af.values_of(case, IntelligenceCase(), ApplicationForm())
    return render(request, "new.html", actor, sec=case, values=values, errors={})


@router.post("/deployments")
async def open_deployment(request: Request, actor: Applicant) -> Response:
    uow = unit_of_work(request)
    sec, posted = af.section(show_policy(uow), "case"), await request.form()
    try:
        case, _ = af.apply(sec, posted, IntelligenceCase(), ApplicationForm())
    except af.FieldErrors as exc:
        return render(
            request, "new.html", actor, 422, sec=sec, values=exc.values, errors=exc.errors
        )
    named = str(posted.get("deployment_reference", "")).strip()
    reference = DeploymentRef(named) if named else None
    deployment = deployments.open_deployment(uow, actor.username, case, reference)
    return redirect(f"/deployments/{deployment.reference}/application/place")


def _overview(
    request: Request, actor: Actor, d: Deployment, status: int = 200, refused: bool = False
) -> Response:
    policy = show_policy(unit_of_work(request))
    problems = application_problems(d.intelligence_case, d.draft, policy, af.today())
    per_section = {sec.key: af.problems_by_field(sec, problems) for sec in af.sections(policy)}
    return render(
        request,
        "application.html",
        actor,
        status,
        d=d,
        sections=af.sections(policy),
        per_section=per_section,
        problems=problems,
        refused=refused,
    )


@router.get("/deployments/{ref}/application")
def application(request: Request, ref: DeploymentRef, actor: Reader) -> Response:
    return _overview(request, actor, deployments.get_deployment(unit_of_work(request), ref))


def _section_page(
    request: Request,
    actor: Actor,
    d: Deployment,
    sec: af.Section,
    values: af.Values,
    errors: dict[str, list[str]],
    status: int = 200,
) -> Response:
    policy = show_policy(unit_of_work(request))
    problems = application_problems(d.intelligence_case, d.draft, policy, af.today())
    keys = [s.key for s in af.sections(policy)]
    following = keys[keys.index(sec.key) + 1] if sec.key != keys[-1] else None
    return render(
        request,
        "section.html",
        actor,
        status,
        d=d,
        sec=sec,
        values=values,
        errors=errors,
        still_missing=af.problems_by_field(sec, problems),
        following=following,
        sections=af.sections(policy),
    )


@router.get("/deployments/{ref}/application/{section}")
def section_page(request: Request, ref: DeploymentRef, section: str, actor: Applicant) -> Response:
    uow = unit_of_work(request)
    d, sec = deployments.get_deployment(uow, ref), af.section(show_policy(uow), section)
    values = af.values_of(sec, d.intelligence_case, d.draft)
    return _section_page(request, actor, d, sec, values, {})


@router.post("/deployments/{ref}/application/{section}")
async def save_section(
    request: Request, ref: DeploymentRef, section: str, actor: Applicant
) -> Response:
    """Save the section as a draft; what is still missing shows beside each field."""
    uow = unit_of_work(request)
    d, sec = deployments.get_deployment(uow, ref), af.section(show_policy(uow), section)
    posted = await request.form()
    try:
        case, form = af.apply(sec, posted, d.intelligence_case, d.draft)
    except af.FieldErrors as exc:
        return _section_page(request, actor, d, sec, exc.values, exc.errors, 422)
    d = deployments.edit_application(uow, actor.username, ref, case=case, form=form)
    following = str(posted.get("following", ""))
    target = f"application/{following}" if following else "application"
    return redirect(f"/deployments/{d.reference}/{target}")


@router.post("/deployments/{ref}/submit")
def submit(request: Request, ref: DeploymentRef, actor: Applicant) -> Response:
    uow = unit_of_work(request)
    try:
        d = deployments.submit(uow, actor.username, ref)
    except ApplicationIncomplete:
        return _overview(request, actor, deployments.get_deployment(uow, ref), 422, refused=True)
    return redirect(f"/deployments/{d.reference}")
