"""The public register of deployments: no login, nothing about any person, charts as SVG."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from openlfr.domain.deployment import State
from openlfr.domain.roles import Actor
from openlfr.services import deployments
from openlfr.web.auth import Public, unit_of_work
from openlfr.web.charts import stacked_bars
from openlfr.web.pages import render
from openlfr.web.register_view import RegisterEntry, entry

router = APIRouter()
Visitor = Annotated[Actor | None, Depends(Public())]


def published(request: Request) -> list[RegisterEntry]:
    uow = unit_of_work(request)
    return [entry(uow, d) for d in deployments.list_deployments(uow, State.PUBLISHED)]


def _chart(rows: list[RegisterEntry]) -> Markup:
    bars = [
        (
            f"{row.reference} ({row.start:%d %b})" if row.start else row.reference,
            [
                ("true confirmed", row.categories["true_alert_confirmed"], "true-confirmed"),
                ("true unconfirmed", row.categories["true_alert_unconfirmed"], "true-unconfirmed"),
                ("false", row.false_alerts, "false-alert"),
            ],
        )
        for row in rows
    ]
    return Markup(stacked_bars("Alerts per deployment", bars))  # built from escaped parts


@router.get("/register")
def register(request: Request, actor: Visitor) -> Response:
    rows = published(request)
    return render(request, "register.html", actor, rows=rows, chart=_chart(rows))
