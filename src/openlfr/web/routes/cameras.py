"""Gold or Silver runs the live engine from the console: a source per authorised camera, chosen
from the sources the administrator allowed (OPENLFR_CAMERA_SOURCES), never typed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.web.auth import Allow, settings_of
from openlfr.web.engines import Engines, engines_of
from openlfr.web.live_state import live_state
from openlfr.web.pages import redirect
from openlfr.web.routes.console import console_page

router = APIRouter(prefix="/deployments/{ref}")
GoldOrSilver = Annotated[Actor, Depends(Allow(Role.GOLD, Role.SILVER))]
Running = Annotated[Engines, Depends(engines_of)]


@router.post("/cameras/run")
async def run_cameras(
    request: Request, ref: DeploymentRef, actor: GoldOrSilver, engines: Running
) -> Response:
    posted = await request.form()
    allowed = settings_of(request).camera_sources
    chosen = {
        key.removeprefix("source:"): str(value)
        for key, value in posted.items()
        if key.startswith("source:") and value
    }
    try:
        if unknown := sorted(name for name in chosen.values() if name not in allowed):
            raise GovernanceError(f"not an allowed camera source: {', '.join(unknown)}")
        sources = {camera: allowed[name] for camera, name in chosen.items()}
        await run_in_threadpool(  # loads the watchlist and opens the sources
            engines.start,
            request.app.state.database,
            live_state(request).vault(),
            actor,
            ref,
            sources,
        )
    except GovernanceError as exc:
        return console_page(request, ref, actor, exc.reason, 422)
    return redirect(f"/deployments/{ref}/console")
