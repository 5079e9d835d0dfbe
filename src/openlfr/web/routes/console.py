"""The operator console: camera tiles (blurred previews), the alert queue that fills itself by
server-sent events, and each alert side by side with the verdict and engagement forms.

Every alert image goes through `services.alerts.view_alert_image`, which audits the view."""

from __future__ import annotations

import asyncio
import json
import queue
from collections.abc import AsyncIterator
from typing import Annotated

import redis
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response, StreamingResponse

from openlfr.distributed.broker import Names
from openlfr.distributed.coordination import camera_report
from openlfr.domain.alerts import Alert, Outcome, Verdict
from openlfr.domain.deployment import Deployment, DeploymentRef
from openlfr.domain.errors import GovernanceError, NotFound
from openlfr.domain.roles import Actor, Role
from openlfr.live.desk import AlertEvent
from openlfr.services import alert_images, alerts, deployments
from openlfr.web.auth import CONSOLE, Allow, settings_of, unit_of_work
from openlfr.web.engines import engines_of
from openlfr.web.live_state import LiveState, live_state
from openlfr.web.pages import redirect, render

router = APIRouter()
OnConsole = Annotated[Actor, Depends(Allow(*CONSOLE))]
Operator = Annotated[Actor, Depends(Allow(Role.OPERATOR))]
EngagementOfficer = Annotated[Actor, Depends(Allow(Role.ENGAGEMENT_OFFICER))]
Live = Annotated[LiveState, Depends(live_state)]
POLL_SECONDS = 0.2
HEARTBEAT_SECONDS = 15.0


def summary(alert: Alert) -> dict[str, object]:
    """What the queue shows of an alert: references, score and status, never the image."""
    return {
        "id": alert.id,
        "subject": alert.subject,
        "camera": alert.camera,
        "score": round(alert.score, 3),
        "raised_at": alert.raised_at.isoformat(),
        "status": alert.status.value,
        "verdict": alert.adjudication.verdict.value if alert.adjudication else None,
    }


def console_page(
    request: Request, ref: DeploymentRef, actor: Actor, problem: str = "", status: int = 200
) -> Response:
    uow = unit_of_work(request)
    d = deployments.get_deployment(uow, ref)
    queue_ = sorted(alerts.list_alerts(uow, ref), key=lambda a: a.raised_at, reverse=True)
    on_workers = cameras_on_workers(request, d)
    engine = "on the workers (distributed mode)" if on_workers else engines_of(request).status(d.id)
    return render(
        request,
        "console.html",
        actor,
        status,
        d=d,
        alerts=queue_,
        cameras=d.checklist.cameras,
        with_preview=live_state(request).cameras_with_preview(d.id),
        engine=engine,
        on_workers=on_workers,
        sources=sorted(settings_of(request).camera_sources),
        problem=problem,
    )


def cameras_on_workers(request: Request, d: Deployment) -> dict[str, str]:
    """In distributed mode, where each camera of the deployment runs (from the broker)."""
    broker: redis.Redis | None = request.app.state.broker
    if broker is None:
        return {}
    try:
        return camera_report(broker, Names(settings_of(request).broker_namespace, d.reference))
    except redis.RedisError:
        return {camera: "unknown: the broker is unreachable" for camera in d.checklist.cameras}


@router.get("/deployments/{ref}/console")
def console(request: Request, ref: DeploymentRef, actor: OnConsole) -> Response:
    return console_page(request, ref, actor)


@router.get("/deployments/{ref}/cameras/{camera}/preview")
def preview(
    ref: DeploymentRef, camera: str, actor: OnConsole, live: Live, request: Request
) -> Response:
    """The latest frame with every non-alerting face blurred (made by the live engine)."""
    d = deployments.get_deployment(unit_of_work(request), ref)
    jpeg = live.preview(d.id, camera)
    if jpeg is None:
        raise NotFound(f"no preview from camera {camera!r} yet")
    return Response(jpeg, media_type="image/jpeg")


@router.get("/deployments/{ref}/alerts/stream")
async def stream(
    request: Request, ref: DeploymentRef, actor: OnConsole, live: Live
) -> StreamingResponse:
    """Server-sent events: one `alert` event per alert raised or sighted on this deployment."""
    deployment_id = deployments.get_deployment(unit_of_work(request), ref).id
    inbox = live.hub.subscribe()

    async def events() -> AsyncIterator[str]:
        idle = 0.0
        try:
            yield "retry: 2000\n\n"
            while not await request.is_disconnected():
                try:
                    event: AlertEvent = inbox.get_nowait()
                except queue.Empty:
                    await asyncio.sleep(POLL_SECONDS)
                    idle += POLL_SECONDS
                    if idle >= HEARTBEAT_SECONDS:
                        idle = 0.0
                        yield ": keep-alive\n\n"
                    continue
                if event.alert.deployment_id == deployment_id:
                    data = json.dumps({"kind": event.kind, **summary(event.alert)})
                    yield f"event: alert\ndata: {data}\n\n"
        finally:
            live.hub.unsubscribe(inbox)

    return StreamingResponse(events(), media_type="text/event-stream")


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, alert_id: str, actor: OnConsole) -> Response:
    uow = unit_of_work(request)
    alert = alerts.get_alert(uow, alert_id)
    d = deployments.deployment_of(uow, alert.deployment_id)
    kept = alert_images.watchlist_image_kept(uow, alert_id)
    return render(request, "alert.html", actor, d=d, alert=alert, outcomes=list(Outcome), kept=kept)


@router.get("/alerts/{alert_id}/image")
def alert_image(request: Request, alert_id: str, actor: OnConsole, live: Live) -> Response:
    jpeg = alerts.view_alert_image(unit_of_work(request), actor.username, alert_id, live.vault())
    return Response(jpeg, media_type="image/jpeg")


@router.get("/alerts/{alert_id}/watchlist-image")
def watchlist_image(request: Request, alert_id: str, actor: OnConsole, live: Live) -> Response:
    """The alert's watchlist record image, while the deployment's snapshot exists (audited)."""
    uow = unit_of_work(request)
    deployment_id = alerts.get_alert(uow, alert_id).deployment_id
    jpeg = alert_images.view_watchlist_image(
        uow, actor.username, alert_id, live.vault(), engines_of(request).watchlist(deployment_id)
    )
    return Response(jpeg, media_type="image/jpeg")


@router.post("/alerts/{alert_id}/adjudicate")
def adjudicate(
    request: Request,
    alert_id: str,
    actor: Operator,
    verdict: Annotated[Verdict, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    alerts.adjudicate(unit_of_work(request), actor.username, alert_id, verdict, note)
    return redirect(f"/alerts/{alert_id}")


@router.post("/alerts/{alert_id}/engagement")
def engagement(
    request: Request,
    alert_id: str,
    actor: EngagementOfficer,
    engaged: Annotated[str, Form()] = "",
    identity_checked: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    uow = unit_of_work(request)
    try:
        alerts.record_engagement(
            uow,
            actor.username,
            alert_id,
            engaged=engaged == "yes",
            identity_checked=bool(identity_checked),
            outcome=Outcome(outcome) if outcome else None,
            note=note,
        )
    except (GovernanceError, ValueError) as exc:
        alert = alerts.get_alert(uow, alert_id)
        d = deployments.deployment_of(uow, alert.deployment_id)
        problem = exc.reason if isinstance(exc, GovernanceError) else "choose a listed outcome"
        return render(
            request,
            "alert.html",
            actor,
            422,
            d=d,
            alert=alert,
            outcomes=list(Outcome),
            kept=alert_images.watchlist_image_kept(uow, alert_id),
            problem=problem,
        )
    return redirect(f"/alerts/{alert_id}")
