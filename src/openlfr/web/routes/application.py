"""The applicant's work: open a deployment with its intelligence case (Form 3), fill in the
eight sections of Form 1 Part 1 one page at a time, and submit it to the AO."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from openlfr.domain.application import ApplicationForm, IntelligenceCase, Section, edited
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
    sec = af.section(show_policy(unit_of_work(request)), Section.CASE)
    values = af.values_of(sec, IntelligenceCase(), ApplicationForm())
    return render(request, "new.html", actor, sec=sec, values=values, errors={})


@router.post("/deployments")
async def open_deployment(request: Request, actor: Applicant) -> Response:
    uow = unit_of_work(request)
    sec, posted = af.section(show_policy(uow), Section.CASE), await request.form()
    blank = IntelligenceCase(), ApplicationForm()
    try:
        case, _ = edited(*blank, Section.CASE, af.changes(sec, posted, *blank))
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
    per_section = {sec.key: af.placed(sec, problems) for sec in af.sections(policy)}
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
    sec: af.SectionForm,
    values: af.Values,
    shown: af.Values,
    errors: af.Placed,
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
        shown=shown,
        errors=errors,
        still_missing=af.placed(sec, problems),
        following=following,
        sections=af.sections(policy),
    )


@router.get("/deployments/{ref}/application/{section}")
def section_page(request: Request, ref: DeploymentRef, section: str, actor: Applicant) -> Response:
    uow = unit_of_work(request)
    d, sec = deployments.get_deployment(uow, ref), af.section(show_policy(uow), section)
    values = af.values_of(sec, d.intelligence_case, d.draft)
    return _section_page(request, actor, d, sec, values, values, {})


@router.post("/deployments/{ref}/application/{section}")
async def save_section(
    request: Request, ref: DeploymentRef, section: str, actor: Applicant
) -> Response:
    """Save the fields changed on the page into the draft; what is still missing shows beside
    each field."""
    uow = unit_of_work(request)
    d, sec = deployments.get_deployment(uow, ref), af.section(show_policy(uow), section)
    posted = await request.form()
    try:
        changed = af.changes(sec, posted, d.intelligence_case, d.draft)
    except af.FieldErrors as exc:
        shown = af.shown_on(posted) or af.values_of(sec, d.intelligence_case, d.draft)
        return _section_page(request, actor, d, sec, exc.values, shown, exc.errors, 422)
    d = deployments.edit_section(uow, actor.username, ref, sec.section, changed)
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
