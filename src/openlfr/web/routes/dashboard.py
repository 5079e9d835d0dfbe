"""The dashboard of deployments by state, and one deployment's overview and history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.roles import Actor
from openlfr.services import deployments
from openlfr.services.audit import audit_history
from openlfr.web.auth import STAFF, Allow, unit_of_work
from openlfr.web.pages import render
from openlfr.web.workflow import next_steps

router = APIRouter()
Staff = Annotated[Actor, Depends(Allow(*STAFF))]


@router.get("/")
def dashboard(request: Request, actor: Staff) -> Response:
    by_state: dict[State, list[Deployment]] = {state: [] for state in State}
    for deployment in deployments.list_deployments(unit_of_work(request)):
        by_state[deployment.state].append(deployment)
    return render(request, "dashboard.html", actor, by_state=by_state, next_steps=next_steps)


@router.get("/deployments/{ref}")
def overview(request: Request, ref: DeploymentRef, actor: Staff) -> Response:
    uow = unit_of_work(request)
    deployment = deployments.get_deployment(uow, ref)
    history = audit_history(uow, "deployment", deployment.id)
    return render(
        request,
        "overview.html",
        actor,
        d=deployment,
        history=history,
        steps=next_steps(deployment, actor),
    )
