"""The JSON API for integration (described at /api/openapi.json). Same session and CSRF rules
as the pages: a POST carries the token in the X-CSRF-Token header."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from openlfr.domain.alerts import Alert, Verdict
from openlfr.domain.deployment import Deployment, State
from openlfr.domain.roles import Actor, Role
from openlfr.services import alerts, deployments
from openlfr.web.auth import CONSOLE, STAFF, Allow, Public, unit_of_work
from openlfr.web.routes.register import published

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


class RegisterRow(BaseModel):
    reference: str
    location: str
    start: datetime | None
    end: datetime | None
    use_case: str
    watchlist_size: int
    threshold: float
    total_alerts: int
    true_alerts: int
    false_alerts: int
    categories: dict[str, int]
    outcomes: dict[str, int]
    faces_seen: int


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
def get_deployment(request: Request, ref: str, actor: Staff) -> dict[str, Any]:
    return deployments.get_deployment(unit_of_work(request), ref).model_dump(mode="json")


@router.get("/deployments/{ref}/alerts")
def list_alerts(request: Request, ref: str, actor: OnConsole) -> list[Alert]:
    return alerts.list_alerts(unit_of_work(request), ref)


@router.post("/alerts/{alert_id}/adjudicate")
def adjudicate(request: Request, alert_id: str, body: VerdictIn, actor: Operator) -> Alert:
    return alerts.adjudicate(
        unit_of_work(request), actor.username, alert_id, body.verdict, body.note
    )


@router.get("/register")
def register(request: Request, actor: Visitor) -> list[RegisterRow]:
    return [
        RegisterRow(
            **{k: getattr(row, k) for k in RegisterRow.model_fields if hasattr(row, k)},
        )
        for row in published(request)
    ]
