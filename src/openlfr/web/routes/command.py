"""Gold's hand on the deployment: pause, resume and stop while live; then close it, submit the
cancellation report (Form 1 Part 3) and publish the register entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import alerts, deployments, operations
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.pages import redirect, render
from openlfr.web.register_view import entry

router = APIRouter(prefix="/deployments/{ref}")
Gold = Annotated[Actor, Depends(Allow(Role.GOLD))]
Reason = Annotated[str, Form()]


@router.post("/pause")
def pause(request: Request, ref: str, actor: Gold, reason: Reason = "") -> Response:
    operations.pause(unit_of_work(request), actor.username, ref, reason)
    return redirect(f"/deployments/{ref}/console")


@router.post("/resume")
def resume(request: Request, ref: str, actor: Gold) -> Response:
    operations.resume(unit_of_work(request), actor.username, ref)
    return redirect(f"/deployments/{ref}/console")


@router.post("/stop")
def stop(request: Request, ref: str, actor: Gold, reason: Reason = "") -> Response:
    operations.stop(unit_of_work(request), actor.username, ref, reason)
    return redirect(f"/deployments/{ref}/report")


def _report_page(
    request: Request, actor: Actor, ref: str, problem: str = "", status: int = 200
) -> Response:
    uow = unit_of_work(request)
    d = deployments.get_deployment(uow, ref)
    return render(
        request,
        "report.html",
        actor,
        status,
        d=d,
        row=entry(uow, d),
        alerts=alerts.list_alerts(uow, ref),
        problem=problem,
    )


@router.get("/report")
def report(request: Request, ref: str, actor: Gold) -> Response:
    return _report_page(request, actor, ref)


@router.post("/close")
def close(
    request: Request, ref: str, actor: Gold, summary: Annotated[str, Form()] = ""
) -> Response:
    try:
        operations.close(unit_of_work(request), actor.username, ref, summary)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/report")


@router.post("/cancellation-report")
def cancellation_report(
    request: Request, ref: str, actor: Gold, summary: Annotated[str, Form()] = ""
) -> Response:
    try:
        if not summary.strip():
            raise GovernanceError("write what happened: the report's summary is empty")
        operations.submit_cancellation_report(unit_of_work(request), actor.username, ref, summary)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/report")


@router.post("/publish")
def publish(request: Request, ref: str, actor: Gold) -> Response:
    try:
        operations.publish(unit_of_work(request), actor.username, ref)
    except GovernanceError as exc:
        return _report_page(request, actor, ref, exc.reason, 422)
    return redirect("/register")
