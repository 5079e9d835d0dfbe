"""Administrators: people, their roles and ranks, and their passwords."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from openlfr.domain.errors import GovernanceError
from openlfr.domain.roles import Actor, Role
from openlfr.services import account_admin, accounts, second_factor, users
from openlfr.services.policy import show_policy
from openlfr.store.uow import UnitOfWork
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
        logins=accounts.account_states(uow),
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
        accounts.add_user_with_password(
            unit_of_work(request), actor.username, person, str(form.get("password", ""))
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


@router.post("/users/{username}/roles")
async def change_roles(request: Request, username: str, actor: Administrator) -> Response:
    form = await request.form()
    uow = unit_of_work(request)
    try:
        person = users.find_user(uow, username).model_copy(
            update={
                "roles": frozenset(Role(str(role)) for role in form.getlist("roles")),
                "rank": str(form.get("rank", "")) or None,
            }
        )
        users.update_user(uow, actor.username, person)
    except ValueError:
        return _page(request, actor, 422, "Choose roles from the list.")
    except GovernanceError as exc:
        return _page(request, actor, 422, exc.reason)
    return redirect("/admin/users")


STEPS: dict[str, Callable[[UnitOfWork, str, str], None]] = {
    "disable": account_admin.disable,
    "enable": account_admin.enable,
    "remove": account_admin.remove,
    "second-factor/reset": second_factor.reset_second_factor,
}


def _step(name: str) -> Callable[..., Awaitable[Response]]:
    async def take(request: Request, username: str, actor: Administrator) -> Response:
        try:
            STEPS[name](unit_of_work(request), actor.username, username)
        except GovernanceError as exc:
            return _page(request, actor, 422, exc.reason)
        return redirect("/admin/users")

    return take


for _name in STEPS:
    router.add_api_route(
        f"/users/{{username}}/{_name}", _step(_name), methods=["POST"], name=f"user_{_name}"
    )
