"""Watchlists in the browser: import records into the force's pool with the vetting report
(refused rows and why, duplicates flagged, each resolvable by a person), and freeze a
deployment's snapshot showing what was left out and the expected false alerts."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import deployments, watchlist_import, watchlist_vetting, watchlists
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.live_state import LiveState, live_state
from openlfr.web.pages import render
from openlfr.web.uploads import save_watchlist_upload

router = APIRouter()
Importer = Annotated[Actor, Depends(Allow(Role.APPLICANT, Role.GOLD, Role.SILVER))]
GoldOrSilver = Annotated[Actor, Depends(Allow(Role.GOLD, Role.SILVER))]
Live = Annotated[LiveState, Depends(live_state)]


def _problems(exc: GovernanceError) -> list[str]:
    """The refusal's sentences, as the CLI prints them."""
    return exc.problems or [exc.reason]


def _pool_page(request: Request, actor: Actor, status: int = 200, **context: Any) -> Response:
    return render(request, "watchlist_pool.html", actor, status, **context)


@router.get("/watchlist")
def pool(request: Request, actor: Importer) -> Response:
    return _pool_page(request, actor)


@router.post("/watchlist/import")
async def import_records(request: Request, actor: Importer, live: Live) -> Response:
    form = await request.form()
    with tempfile.TemporaryDirectory(prefix="openlfr-upload-") as folder:
        try:
            csv_path, images = await save_watchlist_upload(form, Path(folder))
            report = await run_in_threadpool(  # every core enrols: keep the event loop free
                watchlist_import.import_records,
                unit_of_work(request),
                actor.username,
                csv_path,
                images,
                live.vault(),
            )
        except GovernanceError as exc:
            return _pool_page(request, actor, 422, problems=_problems(exc))
    return _pool_page(request, actor, report=report)


@router.post("/watchlist/duplicates/resolve")
def resolve_duplicate(
    request: Request,
    actor: Importer,
    reference_a: Annotated[str, Form()] = "",
    reference_b: Annotated[str, Form()] = "",
    resolution: Annotated[str, Form()] = "",
) -> Response:
    try:
        watchlist_vetting.resolve_duplicate(
            unit_of_work(request), actor.username, reference_a, reference_b, resolution
        )
    except GovernanceError as exc:
        return _pool_page(request, actor, 422, problems=_problems(exc))
    return _pool_page(request, actor, resolved=(reference_a, reference_b))


def _snapshot_page(
    request: Request, actor: Actor, ref: DeploymentRef, status: int = 200, **context: Any
) -> Response:
    uow = unit_of_work(request)
    d = deployments.get_deployment(uow, ref)
    statement = watchlists.expected_false_alerts(uow, ref)
    return render(
        request, "watchlist_snapshot.html", actor, status, d=d, statement=statement, **context
    )


@router.get("/deployments/{ref}/watchlist")
def snapshot_page(request: Request, ref: DeploymentRef, actor: GoldOrSilver) -> Response:
    return _snapshot_page(request, actor, ref)


@router.post("/deployments/{ref}/watchlist/snapshot")
def build_snapshot(
    request: Request, ref: DeploymentRef, actor: GoldOrSilver, live: Live
) -> Response:
    try:
        report = watchlists.build_snapshot(unit_of_work(request), actor.username, ref, live.vault())
    except GovernanceError as exc:
        return _snapshot_page(request, actor, ref, 422, problems=_problems(exc))
    return _snapshot_page(request, actor, ref, report=report)
