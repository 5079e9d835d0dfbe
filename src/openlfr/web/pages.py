"""Rendering pages: templates with the actor, the CSRF token and the navigation they need."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from openlfr.domain.roles import Actor
from openlfr.web.auth import settings_of
from openlfr.web.security import csrf_token, new_csrf_seed

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["label"] = lambda key: str(key).replace("_", " ")
templates.env.filters["when"] = lambda moment: moment.strftime("%d %b %Y %H:%M") if moment else ""


def csrf_seed(request: Request) -> str:
    """The browser's CSRF seed, made (and later set as a cookie) on its first page."""
    seed = request.cookies.get(settings_of(request).csrf_cookie)
    if seed is None:
        seed = getattr(request.state, "new_csrf_seed", None) or new_csrf_seed()
        request.state.new_csrf_seed = seed
    return seed


def set_csrf_cookie(request: Request, response: HTMLResponse | RedirectResponse) -> None:
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed is not None:
        settings = settings_of(request)
        response.set_cookie(
            settings.csrf_cookie,
            seed,
            httponly=True,
            secure=settings.secure_cookies,
            samesite="strict",
            path="/",
        )


def render(
    request: Request, template: str, actor: Actor | None, status: int = 200, **context: Any
) -> HTMLResponse:
    token = csrf_token(settings_of(request).secret, csrf_seed(request))
    response = templates.TemplateResponse(
        request, template, {"actor": actor, "csrf": token, **context}, status_code=status
    )
    set_csrf_cookie(request, response)
    return response


def redirect(url: str) -> RedirectResponse:
    """After a successful POST: see the result with GET (no resubmission on reload)."""
    return RedirectResponse(url, status_code=303)
