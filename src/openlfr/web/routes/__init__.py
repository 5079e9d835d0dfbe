"""Every router of the console, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from openlfr.web.routes import (
    admin,
    api,
    application,
    command,
    console,
    dashboard,
    preparation,
    register,
    review,
    session,
)

ROUTERS: list[APIRouter] = [
    session.router,
    admin.router,
    application.router,  # before the dashboard: /deployments/new is not a reference
    dashboard.router,
    review.router,
    preparation.router,
    command.router,
    console.router,
    register.router,
    api.router,
]
