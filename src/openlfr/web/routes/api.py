"""The JSON API for integration (described at /api/openapi.json). Same session and CSRF rules
as the pages: a POST carries the token in the X-CSRF-Token header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from openlfr.domain.alerts import Alert, Verdict
from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.roles import Actor, Role
from openlfr.services import alerts, deployments, reports
from openlfr.web.auth import CONSOLE, STAFF, Allow, Public, unit_of_work

router = APIRouter(prefix="/api", tags=["api"])
Staff = Annotated[Actor, Depends(Allow(*STAFF))]
OnConsole = Annotated[Actor, Depends(Allow(*CONSOLE))]
Operator = Annotated[Actor, Depends(Allow(Role.OPERATOR))]
Visitor = Annotated[Actor | None, Depends(Public())]


class DeploymentSummary(BaseModel):
    reference: str
    state: State
    applicant: str
    location: str


class VerdictIn(BaseModel):
    verdict: Verdict
    note: str = ""


def _summary(d: Deployment) -> DeploymentSummary:
    return DeploymentSummary(
        reference=d.reference, state=d.state, applicant=d.applicant, location=d.draft.place.location
    )


@router.get("/deployments")
def list_deployments(request: Request, actor: Staff) -> list[DeploymentSummary]:
    return [_summary(d) for d in deployments.list_deployments(unit_of_work(request))]


@router.get("/deployments/{ref}")
def get_deployment(request: Request, ref: DeploymentRef, actor: Staff) -> dict[str, Any]:
    return deployments.get_deployment(unit_of_work(request), ref).model_dump(mode="json")


@router.get("/deployments/{ref}/alerts")
def list_alerts(request: Request, ref: DeploymentRef, actor: OnConsole) -> list[Alert]:
    return alerts.list_alerts(unit_of_work(request), ref)


@router.post("/alerts/{alert_id}/adjudicate")
def adjudicate(request: Request, alert_id: str, body: VerdictIn, actor: Operator) -> Alert:
    return alerts.adjudicate(
        unit_of_work(request), actor.username, alert_id, body.verdict, body.note
    )


@router.get("/register")
def register(request: Request, actor: Visitor) -> list[dict[str, str | int | float]]:
    """The published register, one object per deployment with exactly the MPS columns."""
    return [entry.row() for entry in reports.register_entries(unit_of_work(request))]
