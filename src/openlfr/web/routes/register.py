"""The public register of deployments: no login, nothing about any person. The MPS columns,
the annual summary and monthly charts (inline SVG) from `services.reports`, and the same
entries as CSV and JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from openlfr.domain.roles import Actor
from openlfr.reports.register import render_html, to_csv, to_json
from openlfr.services import reports
from openlfr.web.auth import Public, unit_of_work
from openlfr.web.pages import render

router = APIRouter()
Visitor = Annotated[Actor | None, Depends(Public())]


@router.get("/register")
def register(request: Request, actor: Visitor) -> Response:
    uow = unit_of_work(request)
    entries = reports.register_entries(uow)
    body = Markup(render_html(entries, reports.annual_report(uow)))  # built from escaped parts
    return render(request, "register.html", actor, entries=entries, body=body)


@router.get("/register.csv")
def register_csv(request: Request, actor: Visitor) -> Response:
    return Response(
        to_csv(reports.register_entries(unit_of_work(request))),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="lfr-register.csv"'},
    )


@router.get("/register.json")
def register_json(request: Request, actor: Visitor) -> Response:
    return Response(
        to_json(reports.register_entries(unit_of_work(request))),
        media_type="application/json",
    )
