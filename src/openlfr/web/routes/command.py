"""Gold's hand on the deployment: pause, resume and stop while live (and the console's running
engine with it); then close it, submit the cancellation report (Form 1 Part 3: the record plus
Gold's evaluation and lessons; HTML and PDF) and publish the register entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.reports.cancellation import render_html
from openlfr.reports.pdf import cancellation_pdf
from openlfr.services import deployments, operations, reports
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.engines import Engines, engines_of
from openlfr.web.pages import redirect, render

router = APIRouter(prefix="/deployments/{ref}")
Gold = Annotated[Actor, Depends(Allow(Role.GOLD))]
ReportReader = Annotated[Actor, Depends(Allow(Role.GOLD, Role.DPO, Role.AUDITOR))]
Reason = Annotated[str, Form()]
Running = Annotated[Engines, Depends(engines_of)]


@router.post("/pause")
def pause(
    request: Request, ref: DeploymentRef, actor: Gold, engines: Running, reason: Reason = ""
) -> Response:
    d = operations.pause(unit_of_work(request), actor.username, ref, reason)
    engines.pause(d.id)
    return redirect(f"/deployments/{ref}/console")


@router.post("/resume")
def resume(request: Request, ref: DeploymentRef, actor: Gold, engines: Running) -> Response:
    d = operations.resume(unit_of_work(request), actor.username, ref)
    engines.resume(d.id)
    return redirect(f"/deployments/{ref}/console")


@router.post("/stop")
def stop(
    request: Request, ref: DeploymentRef, actor: Gold, engines: Running, reason: Reason = ""
) -> Response:
    d = operations.stop(unit_of_work(request), actor.username, ref, reason)
    engines.stop(d.id, f"stopped by Gold: {reason}" if reason else "stopped by Gold")
    return redirect(f"/deployments/{ref}/report")


def _report_page(
    request: Request, actor: Actor, ref: DeploymentRef, problem: str = "", status: int = 200
) -> Response:
    uow = unit_of_work(request)
    d = deployments.get_deployment(uow, ref)
    report = reports.cancellation_report(uow, ref)
    return render(
        request,
        "report.html",
        actor,
        status,
        d=d,
        report=report,
        document=Markup(render_html(report)),  # built from escaped parts
        submitted=report.submitted_by is not None,
        problem=problem,
    )


@router.get("/report")
def report(request: Request, ref: DeploymentRef, actor: ReportReader) -> Response:
    return _report_page(request, actor, ref)


@router.get("/report.pdf")
def report_pdf(request: Request, ref: DeploymentRef, actor: ReportReader) -> Response:
    document = cancellation_pdf(reports.cancellation_report(unit_of_work(request), ref))
    disposition = f'attachment; filename="{ref}-cancellation-report.pdf"'
    return Response(
        document, media_type="application/pdf", headers={"content-disposition": disposition}
    )


@router.post("/close")
def close(
    request: Request, ref: DeploymentRef, actor: Gold, summary: Annotated[str, Form()] = ""
) -> Response:
    try:
        operations.close(unit_of_work(request), actor.username, ref, summary)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/report")


@router.post("/cancellation-report")
def cancellation_report(
    request: Request,
    ref: DeploymentRef,
    actor: Gold,
    evaluation: Annotated[str, Form()] = "",
    lessons: Annotated[str, Form()] = "",
) -> Response:
    try:
        if not evaluation.strip():
            raise GovernanceError("write your evaluation: the report's evaluation is empty")
        reports.submit_report(unit_of_work(request), actor.username, ref, evaluation, lessons)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/report")


@router.post("/publish")
def publish(request: Request, ref: DeploymentRef, actor: Gold) -> Response:
    try:
        operations.publish(unit_of_work(request), actor.username, ref)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect("/register")
