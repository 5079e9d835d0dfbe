"""For the operations team's monitoring, not for people: `/healthz` (is the console able to
serve: database, and broker when configured) and `/metrics` (Prometheus text: the engines this
process runs, by camera id; see `live.telemetry`). Neither needs a login and neither shows a
face, a subject, a deployment reference, a path or a key; keep both on the internal network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from openlfr.domain.roles import Actor
from openlfr.live.telemetry import process_telemetry
from openlfr.web.auth import Public

router = APIRouter(tags=["operations"])
Anyone = Annotated[Actor | None, Depends(Public())]


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.database.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")  # no SQL library here: only the store has one
    except Exception:
        return False
    return True


def _broker_state(request: Request) -> str:
    broker = request.app.state.broker
    if broker is None:
        return "not configured"
    try:
        broker.ping()
    except Exception:
        return "unreachable"
    return "ok"


@router.get("/healthz")
def healthz(request: Request, _: Anyone) -> JSONResponse:
    """200 when the console can serve; 503 with the part that cannot."""
    checks = {
        "database": "ok" if _database_ok(request) else "unreachable",
        "broker": _broker_state(request),
    }
    healthy = all(state in {"ok", "not configured"} for state in checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "failing", **checks}, status_code=200 if healthy else 503
    )


@router.get("/metrics")
def metrics(_: Anyone) -> Response:
    return Response(process_telemetry().exposition(), media_type=CONTENT_TYPE_LATEST)
