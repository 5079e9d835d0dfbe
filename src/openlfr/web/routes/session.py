"""Logging in and out, and the first-run step that creates the administrator."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from openlfr.domain.accounts import SESSION_LIFETIME, LoginFailed
from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.domain.second_factor import ENROL
from openlfr.services import accounts, second_factor
from openlfr.web.auth import (
    Allow,
    Public,
    client_of,
    now_of,
    session_token,
    settings_of,
    unit_of_work,
)
from openlfr.web.pages import redirect, render
from openlfr.web.security import new_csrf_seed

router = APIRouter()
Visitor = Annotated[Actor | None, Depends(Public())]


def safe_next(target: str) -> str:
    """Only paths on this site: never an open redirect to another host (browsers read a slash
    then a backslash as two slashes)."""
    on_site = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if on_site else "/"


@router.get("/login")
def login_page(request: Request, actor: Visitor, next: str = "/") -> Response:
    if accounts.needs_first_administrator(unit_of_work(request)):
        return redirect("/setup")
    return render(request, "login.html", actor, next=safe_next(next), error="")


@router.post("/login")
def log_in(
    request: Request,
    actor: Visitor,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    throttle, client = request.app.state.throttle, client_of(request)
    if wait := throttle.wait(client, username):
        seconds = math.ceil(wait)
        message = f"Too many failed attempts. Wait {seconds} seconds, then try again."
        page = render(request, "login.html", actor, 429, next=next, error=message)
        page.headers["retry-after"] = str(seconds)
        return page
    try:
        user, token = accounts.log_in(
            unit_of_work(request), username, password, now_of(request), client
        )
    except LoginFailed as exc:
        throttle.failed(client, username)
        return render(request, "login.html", actor, 422, next=next, error=exc.reason)
    target = _after_password(request, token, safe_next(next))
    if not target.startswith("/login/"):  # done; with a second factor owed, only once it is
        throttle.succeeded(client, user.username)
    response = redirect(target)
    set_session(request, response, token)
    return response


def _after_password(request: Request, token: str, next: str) -> str:
    """Where the password leads: the page asked for, or first the second factor it owes."""
    stage = second_factor.pending_stage(unit_of_work(request), token, now_of(request))
    if stage is None:
        return next
    target = "/login/enrol" if stage == ENROL else "/login/code"
    return f"{target}?{urlencode({'next': next})}"


def set_session(request: Request, response: Response, token: str) -> None:
    """The session cookie, and a fresh CSRF seed so a token learnt before login is useless."""
    settings = settings_of(request)
    for name, value in ((settings.session_cookie, token), (settings.csrf_cookie, new_csrf_seed())):
        response.set_cookie(
            name, value, max_age=int(SESSION_LIFETIME.total_seconds()), **_cookie(request)
        )


def _cookie(request: Request) -> dict[str, Any]:
    """The session cookie's attributes: deleting it must name the same ones, or browsers keep
    the `__Host-` cookie."""
    secure = settings_of(request).secure_cookies
    return {"httponly": True, "secure": secure, "samesite": "strict", "path": "/"}


@router.post("/logout")
def log_out(request: Request, actor: Annotated[Actor, Depends(Allow())]) -> Response:
    token = session_token(request)
    if token:
        accounts.log_out(unit_of_work(request), token)
    response = redirect("/login")
    response.delete_cookie(settings_of(request).session_cookie, **_cookie(request))
    return response


@router.get("/setup")
def setup_page(request: Request, actor: Visitor) -> Response:
    if not accounts.needs_first_administrator(unit_of_work(request)):
        return redirect("/login")
    return render(request, "setup.html", actor, error="", values={})


@router.post("/setup")
def set_up(
    request: Request,
    actor: Visitor,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """First run only: once any user exists this refuses (the service checks again)."""
    uow = unit_of_work(request)
    if not accounts.needs_first_administrator(uow):
        return redirect("/login")
    values = {"username": username, "display_name": display_name}
    if not username.strip() or not display_name.strip():
        error = "Give a username and a display name."
        return render(request, "setup.html", actor, 422, error=error, values=values)
    admin = Actor(username=username, display_name=display_name, roles={Role.ADMINISTRATOR})
    try:
        accounts.create_first_administrator(uow, admin, password)
        _user, token = accounts.log_in(uow, username, password, now_of(request))
    except GovernanceError as exc:
        return render(request, "setup.html", actor, 422, error=exc.reason, values=values)
    response = redirect(_after_password(request, token, "/admin/users"))
    set_session(request, response, token)
    return response
