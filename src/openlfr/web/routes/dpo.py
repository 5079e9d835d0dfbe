"""The data protection officer's pages: the retention schedule (what is due, what later, what
is held as evidence and why), a retention run on demand beside the server's schedule, and
redress: was this person reference on any watchlist or in any alert."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import redress, retention
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.live_state import LiveState, live_state
from openlfr.web.pages import render

router = APIRouter()
DPO = Annotated[Actor, Depends(Allow(Role.DPO))]
Live = Annotated[LiveState, Depends(live_state)]


def _retention_page(request: Request, actor: Actor, **context: Any) -> Response:
    plan = retention.schedule(unit_of_work(request))
    return render(request, "retention.html", actor, plan=plan, **context)


@router.get("/retention")
def retention_report(request: Request, actor: DPO) -> Response:
    return _retention_page(request, actor)


@router.post("/retention/run")
def retention_run(request: Request, actor: DPO, live: Live) -> Response:
    """Delete what is due now (what the server's schedule would do at its next run)."""
    done = retention.run_due(lambda: unit_of_work(request), live.vault())
    return _retention_page(request, actor, done=done)


@router.get("/redress")
def redress_form(request: Request, actor: DPO) -> Response:
    return render(request, "redress.html", actor)


@router.post("/redress")
def redress_answer(
    request: Request, actor: DPO, reference: Annotated[str, Form()] = ""
) -> Response:
    """Asked by POST: every question is audited."""
    if not reference.strip():
        return render(request, "redress.html", actor, 422, problem="give a person reference")
    try:
        answer = redress.redress(unit_of_work(request), actor.username, reference.strip())
    except GovernanceError as exc:
        return render(request, "redress.html", actor, 422, problem=exc.reason)
    return render(request, "redress.html", actor, answer=answer)
