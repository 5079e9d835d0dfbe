"""Gold and Silver before going live: appoint the command, work through the checklist, record
the cameras, then mark the deployment ready and start it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from openlfr.domain.command import APPOINTABLE, ChecklistItem
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import deployments, operations, users
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.pages import redirect, render

router = APIRouter(prefix="/deployments/{ref}")
GoldOrSilver = Annotated[Actor, Depends(Allow(Role.GOLD, Role.SILVER))]
Gold = Annotated[Actor, Depends(Allow(Role.GOLD))]
TICKED = (
    ChecklistItem.ADVANCE_NOTICE,
    ChecklistItem.SIGNAGE,
    ChecklistItem.ROLES,
    ChecklistItem.TRAINED_PERSONNEL,
)
"""Items recorded by a tick and a note; the watchlist and cameras have their own steps."""


def _page(
    request: Request, actor: Actor, ref: DeploymentRef, problem: str = "", status: int = 200
) -> Response:
    uow = unit_of_work(request)
    d = deployments.get_deployment(uow, ref)
    people = users.list_users(uow)
    candidates = {post: [p for p in people if p.has(post)] for post in APPOINTABLE}
    return render(
        request,
        "checklist.html",
        actor,
        status,
        d=d,
        terms=d.terms,
        posts=APPOINTABLE,
        candidates=candidates,
        items=list(ChecklistItem),
        ticked=TICKED,
        problem=problem,
    )


@router.get("/checklist")
def checklist(request: Request, ref: DeploymentRef, actor: GoldOrSilver) -> Response:
    return _page(request, actor, ref)


def _step(
    request: Request, actor: Actor, ref: DeploymentRef, run: Callable[[], object]
) -> Response:
    """Run one service step; a refusal is shown on the checklist page beside the items."""
    try:
        run()
    except GovernanceError as exc:
        return _page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/checklist")


@router.post("/appoint")
async def appoint(request: Request, ref: DeploymentRef, actor: Gold) -> Response:
    posted = await request.form()
    post = str(posted.get("post", ""))
    if post not in {p.value for p in APPOINTABLE}:
        return _page(request, actor, ref, "choose the post to appoint", 422)
    people = [str(person) for person in posted.getlist("people")]
    uow = unit_of_work(request)
    return _step(
        request,
        actor,
        ref,
        lambda: operations.appoint(uow, actor.username, ref, Role(post), people),
    )


@router.post("/tick")
async def tick(request: Request, ref: DeploymentRef, actor: GoldOrSilver) -> Response:
    posted = await request.form()
    item = str(posted.get("item", ""))
    if item not in {i.value for i in TICKED}:
        return _page(request, actor, ref, "choose a checklist item", 422)
    note, waived = str(posted.get("note", "")), posted.get("waived") is not None
    uow = unit_of_work(request)
    return _step(
        request,
        actor,
        ref,
        lambda: operations.tick(uow, actor.username, ref, ChecklistItem(item), note, waived),
    )


@router.post("/cameras")
async def cameras(request: Request, ref: DeploymentRef, actor: GoldOrSilver) -> Response:
    chosen = [str(camera) for camera in (await request.form()).getlist("cameras")]
    uow = unit_of_work(request)
    return _step(
        request, actor, ref, lambda: operations.record_cameras(uow, actor.username, ref, chosen)
    )


@router.post("/ready")
def ready(request: Request, ref: DeploymentRef, actor: Gold) -> Response:
    uow = unit_of_work(request)
    return _step(request, actor, ref, lambda: operations.mark_ready(uow, actor.username, ref))


@router.post("/start")
def start(request: Request, ref: DeploymentRef, actor: Gold) -> Response:
    try:
        operations.start(unit_of_work(request), actor.username, ref)
    except GovernanceError as exc:
        return _page(request, actor, ref, exc.reason, 422)
    return redirect(f"/deployments/{ref}/console")
