"""The FastAPI application: routers, static files, security headers and how refusals look.

A refusal from the governance core is never a 500: pages show its reason, the API returns it
as JSON with a status that says what kind of refusal it was."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from openlfr import __version__, bootstrap
from openlfr.distributed.alert_feed import AlertRelay
from openlfr.distributed.broker import BrokerKey, connect
from openlfr.domain.errors import (
    GovernanceError,
    NotFound,
    PermissionRefused,
)
from openlfr.live.telemetry import process_telemetry
from openlfr.services.retention import RetentionScheduler
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.web.auth import NotLoggedIn, Refused, current_actor
from openlfr.web.engines import Engines
from openlfr.web.live_state import LiveState
from openlfr.web.pages import redirect, render
from openlfr.web.routes import ROUTERS
from openlfr.web.security import LoginThrottle, SecurityHeaders
from openlfr.web.settings import WebSettings


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _refusal(request: Request, status: int, reason: str, problems: list[str]) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": reason, "problems": problems}, status_code=status)
    return render(
        request, "refused.html", current_actor(request), status, reason=reason, problems=problems
    )


def _status(exc: GovernanceError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionRefused):
        return 403
    return 409


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "log in first"}, status_code=401)
        return redirect(f"/login?next={quote(request.url.path)}")

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return _refusal(request, 403, exc.reason, [])

    @app.exception_handler(GovernanceError)
    async def governance(request: Request, exc: GovernanceError) -> Response:
        return _refusal(request, _status(exc), exc.reason, exc.problems)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'][1:])}: {error['msg']}"
            for error in exc.errors()
        ]
        return _refusal(request, 422, "the request is not valid", problems)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While the server is up: the retention schedule (if the settings ask for it) and, with a
    broker, the relay of the matchers' alert events. At shutdown: these and every live engine
    the console started are stopped."""
    settings: WebSettings = app.state.settings
    database: Database = app.state.database
    app.state.retention = app.state.relay = None
    if settings.run_retention:
        app.state.retention = RetentionScheduler(
            lambda: UnitOfWork(database.sessions),
            app.state.live.vault(),
            settings.retention_interval_seconds,
            app.state.clock,
        )
        app.state.retention.start()
    if app.state.broker is not None:
        app.state.relay = AlertRelay(
            app.state.broker,
            settings.broker_namespace,
            BrokerKey.from_environment(),
            app.state.live.hub,
        )
        app.state.relay.start()
    try:
        yield
    finally:
        if app.state.retention is not None:
            app.state.retention.stop()
        if app.state.relay is not None:
            app.state.relay.stop()
        app.state.engines.stop_all()


def create_app(
    settings: WebSettings | None = None,
    database: Database | None = None,
    live: LiveState | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FastAPI:
    """`live` is shared with an in-process live engine (its alert hub, vault and previews);
    `clock` is the time the retention schedule deletes by."""
    settings = settings or WebSettings.from_environment()
    app = FastAPI(
        title="OpenLFR",
        version=__version__,
        description="Governance, live alerts and the public register of overt LFR deployments.",
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN: not here
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.database = database or bootstrap.database(settings.database_url)
    app.state.live = live or LiveState()
    app.state.engines = Engines(app.state.live)
    hub = app.state.live.hub
    process_telemetry().watch_queues("console", lambda: {"alert_listeners": hub.backlog()})
    app.state.broker = connect(settings.broker_url) if settings.broker_url else None
    app.state.throttle = LoginThrottle(
        settings.login_failures_allowed, settings.login_backoff_cap_seconds
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _install_handlers(app)
    return app
