"""Every route for every role, generated from the app's own routes: allowed where the route's
gate allows, 403 where not, and when logged out a redirect to the login page (pages) or 401
(the JSON API). Posts without the CSRF token are refused. A route without a gate fails."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_world import ONE_PER_ROLE, World, log_in

from openlfr.domain.roles import Role
from openlfr.web.app import create_app
from openlfr.web.auth import Allow, Public
from openlfr.web.routes import ROUTERS
from openlfr.web.settings import WebSettings

NEVER_STREAMED = {"/deployments/{ref}/alerts/stream"}
"""Allowed roles are not opened on the endless SSE stream here; the browser test reads it."""
NO_SNAPSHOT_HERE = {"/alerts/{alert_id}/watchlist-image"}
"""This world's watchlist is recorded without a frozen snapshot, so allowed roles get 404
("destroyed with the watchlist"); the browser test views a real one."""


BYSTANDER = "hank"
"""The person the administrators' posts act on: no client here is logged in as him, since
disabling someone ends their sessions."""


def gate_of(route: APIRoute) -> Allow | Public:
    gates = [
        dep.call for dep in route.dependant.dependencies if isinstance(dep.call, Allow | Public)
    ]
    assert len(gates) == 1, f"{route.path} must take its actor from exactly one gate"
    return gates[0]


def routes() -> list[tuple[str, str, Allow | Public]]:
    """Every (method, path, gate) of the mounted routers; checked against the app's OpenAPI
    description so that a route mounted some other way cannot be missed."""
    found = [
        (method, route.path, gate_of(route))
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods)
    ]
    app = create_app(WebSettings(secure_cookies=False), database=object())  # type: ignore[arg-type]
    described = {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert described == {(method, path) for method, path, _ in found}
    # Log out last: it ends the session the other posts use.
    return sorted(found, key=lambda item: (item[0] == "POST", item[1] == "/logout"))


def url(path: str, world: World) -> str:
    return path.format(
        ref=world.live,
        section="place",
        alert_id=world.alert_id,
        camera="cam-1",
        username=BYSTANDER,
    )


def allowed(gate: Allow | Public, role: Role) -> bool:
    return isinstance(gate, Public) or not gate.roles or role in gate.roles


def test_every_route_has_a_gate() -> None:
    assert len(routes()) > 30


@pytest.fixture(scope="module")
def clients(world: World) -> dict[Role, tuple[TestClient, str]]:
    signed_in = {}
    for role, username in ONE_PER_ROLE.items():
        client = world.client()
        signed_in[role] = (client, log_in(client, username))
    return signed_in


def test_route_role_matrix(world: World, clients: dict[Role, tuple[TestClient, str]]) -> None:
    failures = []
    for method, path, gate in routes():
        target = url(path, world)
        for role, (client, token) in clients.items():
            if method == "GET" and path in NEVER_STREAMED and allowed(gate, role):
                continue
            if method == "GET":
                response = client.get(target)
            else:
                response = client.post(target, data={"csrf_token": token})
            status = response.status_code
            if allowed(gate, role):
                ok = (
                    status < 500
                    and status not in (401, 403)
                    and not response.headers.get("location", "").startswith("/login?next=")
                )
                if method == "GET":
                    ok = ok and status in ((404,) if path in NO_SNAPSHOT_HERE else (200, 303))
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {path} as {role.value}: {status}")
    assert not failures, "\n".join(failures)


def test_logged_out(world: World) -> None:
    client = world.client()
    token = client.get("/login").text.split('name="csrf-token" content="')[1].split('"')[0]
    failures = []
    for method, path, gate in routes():
        target = url(path, world)
        if method == "GET":
            response = client.get(target)
        else:
            response = client.post(target, data={"csrf_token": token})
        status, location = response.status_code, response.headers.get("location", "")
        if isinstance(gate, Public):
            ok = status < 500 and status != 401
        elif path.startswith("/api/"):
            ok = status == 401
        else:
            ok = status == 303 and location.startswith("/login")
        if not ok:
            failures.append(f"{method} {path}: {status} {location}")
    assert not failures, "\n".join(failures)


def test_posts_without_csrf_token_are_refused(
    world: World, clients: dict[Role, tuple[TestClient, str]]
) -> None:
    for method, path, gate in routes():
        if method != "POST":
            continue
        role = next(iter(gate.roles), Role.ADMINISTRATOR)
        client, _ = clients[role]
        response = client.post(url(path, world), data={})
        assert response.status_code == 403, f"{path}: {response.status_code}"
        assert "security token" in response.text


def test_json_post_with_header_token(world: World) -> None:
    client = world.client()
    token = log_in(client, "otto")
    target = f"/api/alerts/{world.alert_id}/adjudicate"
    assert client.post(target, json={"verdict": "false_alert"}).status_code == 403
    response = client.post(target, json={"verdict": "nonsense"}, headers={"x-csrf-token": token})
    assert response.status_code == 422
