"""Every router of the console, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from openlfr.web.routes import (
    admin,
    api,
    application,
    cameras,
    command,
    console,
    dashboard,
    dpo,
    operations,
    preparation,
    register,
    review,
    second_factor,
    session,
    watchlist,
)

ROUTERS: list[APIRouter] = [
    session.router,
    second_factor.router,
    admin.router,
    application.router,  # before the dashboard: /deployments/new is not a reference
    dashboard.router,
    review.router,
    preparation.router,
    command.router,
    console.router,
    cameras.router,
    watchlist.router,
    dpo.router,
    register.router,
    api.router,
    operations.router,
]
