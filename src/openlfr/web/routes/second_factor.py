"""The second step of logging in for roles the policy names: setting up an authenticator app
(QR code, then ten recovery codes shown once) and typing its code at later logins. Both run
on the session the password opened, which opens no page until this step is done."""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from openlfr.domain.accounts import LoginFailed
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.roles import Actor
from openlfr.domain.second_factor import grouped
from openlfr.services import second_factor
from openlfr.web.auth import Public, client_of, now_of, session_token, unit_of_work
from openlfr.web.pages import redirect, render
from openlfr.web.routes.session import safe_next, set_session

router = APIRouter(prefix="/login")
Visitor = Annotated[Actor | None, Depends(Public())]


def _enrol_page(
    request: Request, actor: Actor | None, next: str, status: int = 200, error: str = ""
) -> Response:
    enrolment = second_factor.start_enrolment(
        unit_of_work(request), session_token(request) or "", now_of(request)
    )
    qr = segno.make(enrolment.uri, error="m").svg_inline(scale=5, title="QR code for your app")
    secret = grouped(enrolment.secret)
    return render(
        request, "enrol.html", actor, status, qr=qr, secret=secret, next=next, error=error
    )


@router.get("/enrol")
def enrol_page(request: Request, actor: Visitor, next: str = "/") -> Response:
    try:
        return _enrol_page(request, actor, safe_next(next))
    except PermissionRefused:
        return redirect("/login")


@router.post("/enrol")
def enrol(
    request: Request,
    actor: Visitor,
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    uow, next = unit_of_work(request), safe_next(next)
    try:
        done = second_factor.confirm_enrolment(
            uow, session_token(request) or "", code[:64], now_of(request)
        )
    except PermissionRefused:
        return redirect("/login")
    except LoginFailed as exc:
        return _enrol_page(request, actor, next, 422, exc.reason)
    page = render(request, "recovery_codes.html", actor, codes=done.recovery_codes, next=next)
    set_session(request, page, done.token)
    return page


@router.get("/code")
def code_page(request: Request, actor: Visitor, next: str = "/") -> Response:
    token = session_token(request) or ""
    if second_factor.pending_stage(unit_of_work(request), token, now_of(request)) is None:
        return redirect("/login")
    return render(request, "second_factor.html", actor, next=safe_next(next), error="")


@router.post("/code")
def check_code(
    request: Request,
    actor: Visitor,
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    throttle, client, next = request.app.state.throttle, client_of(request), safe_next(next)
    token = session_token(request) or ""
    username = second_factor.pending_user(unit_of_work(request), token, now_of(request))
    if throttle.wait(client, username):
        error = "Too many wrong codes. Wait a little, then try again."
        return render(request, "second_factor.html", actor, 429, next=next, error=error)
    try:
        fresh = second_factor.verify_code(unit_of_work(request), token, code[:64], now_of(request))
    except PermissionRefused:
        return redirect("/login")
    except LoginFailed as exc:
        throttle.failed(client, username)
        return render(request, "second_factor.html", actor, 422, next=next, error=exc.reason)
    throttle.succeeded(client, username)
    response = redirect(next)
    set_session(request, response, fresh)
    return response
