"""The Authorising Officer's review: high-scrutiny flags first, then the application, its
documents and watchlist composition with the expected false alert rate, and the decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from openlfr.domain.authority import Consultee, DecisionPoint
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import deployments, equitability, users
from openlfr.services.policy import show_policy
from openlfr.store.uow import UnitOfWork
from openlfr.web import authority_form
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.pages import redirect, render

router = APIRouter()
AuthorisingOfficer = Annotated[Actor, Depends(Allow(Role.AUTHORISING_OFFICER))]


class Prefill:
    """What a re-shown form holds: the posted values after a refusal, else the defaults."""

    def __init__(self, posted: FormData | None) -> None:
        self.posted = posted

    def text(self, name: str, default: object = "") -> str:
        return str(self.posted.get(name, "")) if self.posted is not None else str(default)

    def checked(self, name: str, value: str = "on", default: bool = False) -> bool:
        if self.posted is None:
            return default
        return value in [str(item) for item in self.posted.getlist(name)]


def _threshold(posted: FormData | None, floor: float) -> float:
    """The threshold the decision would use: the one typed, else the policy's floor."""
    try:
        return float(str(posted.get("threshold"))) if posted is not None else floor
    except ValueError:
        return floor


def _page(
    request: Request,
    actor: Actor,
    ref: DeploymentRef,
    posted: FormData | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    uow = unit_of_work(request)
    d, policy = deployments.get_deployment(uow, ref), show_policy(uow)
    form = d.current_version.form
    golds = [person for person in users.list_users(uow) if person.has(Role.GOLD)]
    evidence = equitability.latest_evidence(uow)
    return render(
        request,
        "review.html",
        actor,
        status,
        d=d,
        form=form,
        case=d.intelligence_case,
        policy=policy,
        flags=authority_form.flags(d, policy),
        statements=authority_form.false_alert_statements(policy, form.watchlist.approximate_size),
        points=list(DecisionPoint),
        consultees=list(Consultee),
        golds=golds,
        evidence=evidence,
        threshold=_threshold(posted, policy.threshold.floor),
        fill=Prefill(posted),
        problems=problems or [],
    )


@router.get("/deployments/{ref}/review")
def review(request: Request, ref: DeploymentRef, actor: AuthorisingOfficer) -> Response:
    return _page(request, actor, ref)


@router.post("/deployments/{ref}/authorise")
async def authorise(request: Request, ref: DeploymentRef, actor: AuthorisingOfficer) -> Response:
    posted = await request.form()
    try:
        authority = authority_form.parse(posted)
        deployments.authorise(unit_of_work(request), actor.username, ref, authority)
    except ValidationError as exc:
        return _page(request, actor, ref, posted, authority_form.field_errors(exc), 422)
    except GovernanceError as exc:
        return _page(request, actor, ref, posted, exc.problems or [exc.reason], 422)
    if digest := str(posted.get("relies_on_evidence", "")):
        # The deployment records which equitability evidence its authority relied on.
        equitability.record_evidence_for_deployment(
            unit_of_work(request), actor.username, ref, digest
        )
    return redirect(f"/deployments/{ref}")


@router.post("/deployments/{ref}/send-back")
async def send_back(request: Request, ref: DeploymentRef, actor: AuthorisingOfficer) -> Response:
    return await _decide(request, ref, actor, deployments.send_back)


@router.post("/deployments/{ref}/reject")
async def reject(request: Request, ref: DeploymentRef, actor: AuthorisingOfficer) -> Response:
    return await _decide(request, ref, actor, deployments.reject)


async def _decide(
    request: Request,
    ref: DeploymentRef,
    actor: Actor,
    step: Callable[[UnitOfWork, str, DeploymentRef, str], Deployment],
) -> Response:
    posted = await request.form()
    try:
        step(unit_of_work(request), actor.username, ref, str(posted.get("decision_reasons", "")))
    except GovernanceError as exc:
        return _page(request, actor, ref, posted, [exc.reason], 422)
    return redirect(f"/deployments/{ref}")
