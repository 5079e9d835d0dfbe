"""Who is asking: the session cookie to an actor, and the gate every route declares.

Each route takes its actor from exactly one gate (`Allow(...)` or `Public()`); the gate checks
the CSRF token on every POST, then the login, then the role. The route matrix test finds the
gates by walking the app's routes, so a route without one cannot slip through."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts
from openlfr.store.uow import UnitOfWork
from openlfr.web.security import client_address, csrf_valid
from openlfr.web.settings import WebSettings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class NotLoggedIn(Exception):
    """No live session: pages redirect to the login page, the API answers 401."""


class Refused(Exception):
    """403: a missing or wrong CSRF token, or a role the route does not allow."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.database.sessions)


def now_of(request: Request) -> datetime:
    """The app's clock: sessions and second factors run on it, so tests can move it."""
    now: datetime = request.app.state.clock()
    return now


def client_of(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    return client_address(peer, forwarded, settings_of(request).trusted_proxies)


def session_token(request: Request) -> str | None:
    return request.cookies.get(settings_of(request).session_cookie)


def current_actor(request: Request) -> Actor | None:
    if not hasattr(request.state, "actor"):
        token = session_token(request)
        request.state.actor = (
            accounts.session_actor(unit_of_work(request), token, now_of(request)) if token else None
        )
    actor: Actor | None = request.state.actor
    return actor


async def _check_csrf(request: Request) -> None:
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and "form" in request.headers.get("content-type", ""):
        token = str((await request.form()).get(CSRF_FIELD, "")) or None
    seed = request.cookies.get(settings_of(request).csrf_cookie)
    if not csrf_valid(settings_of(request).secret, seed, token):
        raise Refused("the form's security token is missing or out of date; reload and retry")


class Allow:
    """A logged-in actor holding one of `roles` (any logged-in actor when none are named)."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, request: Request) -> Actor:
        await _check_csrf(request)
        actor = current_actor(request)
        if actor is None:
            raise NotLoggedIn()
        if self.roles and not actor.roles & self.roles:
            wanted = ", ".join(sorted(role.value.replace("_", " ") for role in self.roles))
            raise Refused(f"this needs one of these roles: {wanted}")
        return actor


class Public:
    """No login needed (the register, the login page); the actor, if any, is passed on."""

    roles: frozenset[Role] = frozenset()

    async def __call__(self, request: Request) -> Actor | None:
        await _check_csrf(request)
        return current_actor(request)


R = Role
STAFF = tuple(Role)
COMMAND = (R.GOLD, R.SILVER, R.BRONZE)
CONSOLE = (*COMMAND, R.OPERATOR, R.ENGAGEMENT_OFFICER)
"""Who may open the operator console: the command and the people who act on alerts."""
