"""Administrators: people, their roles and ranks, and their passwords."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts, users
from openlfr.services.policy import show_policy
from openlfr.web.auth import Allow, unit_of_work
from openlfr.web.pages import redirect, render

router = APIRouter(prefix="/admin")
Administrator = Annotated[Actor, Depends(Allow(Role.ADMINISTRATOR))]


def _page(request: Request, actor: Actor, status: int = 200, error: str = "") -> Response:
    uow = unit_of_work(request)
    return render(
        request,
        "admin_users.html",
        actor,
        status,
        people=users.list_users(uow),
        with_password=accounts.users_with_password(uow),
        roles=list(Role),
        ranks=show_policy(uow).ranks.order,
        error=error,
    )


@router.get("/users")
def user_list(request: Request, actor: Administrator) -> Response:
    return _page(request, actor)


@router.post("/users")
async def add_user(request: Request, actor: Administrator) -> Response:
    form = await request.form()
    try:
        person = Actor(
            username=str(form.get("username", "")).strip(),
            display_name=str(form.get("display_name", "")).strip(),
            roles=frozenset(Role(str(role)) for role in form.getlist("roles")),
            rank=str(form.get("rank", "")) or None,
        )
        users.add_user(unit_of_work(request), actor.username, person)
        accounts.set_password(
            unit_of_work(request), actor.username, person.username, str(form.get("password", ""))
        )
    except ValidationError as exc:
        fields = ", ".join(str(error["loc"][0]).replace("_", " ") for error in exc.errors())
        return _page(request, actor, 422, f"Fill in: {fields}")
    except GovernanceError as exc:
        return _page(request, actor, 422, exc.reason)
    return redirect("/admin/users")


@router.post("/users/{username}/password")
async def set_password(request: Request, username: str, actor: Administrator) -> Response:
    form = await request.form()
    try:
        accounts.set_password(
            unit_of_work(request), actor.username, username, str(form.get("password", ""))
        )
    except GovernanceError as exc:
        return _page(request, actor, 422, exc.reason)
    return redirect("/admin/users")
