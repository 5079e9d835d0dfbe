"""A session ends when its person logs out, when their password changes, and when it expires;
after that every page sends them back to the login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from web_world import PASSWORD, World, csrf_of, log_in

from govkit import T0
from openlfr.domain.policy_file import bundled_policy
from openlfr.services import accounts
from openlfr.store.uow import UnitOfWork
from openlfr.web.settings import WebSettings


def _logged_out(world: World, client) -> bool:  # type: ignore[no-untyped-def]
    page = client.get(f"/deployments/{world.live}")
    return page.status_code == 303 and page.headers["location"].startswith("/login")


def test_logging_out_ends_the_session(world: World) -> None:
    client = world.client()
    token = log_in(client, "otto")
    assert not _logged_out(world, client)
    assert client.post("/logout", data={"csrf_token": token}).headers["location"] == "/login"
    assert _logged_out(world, client)


def test_a_new_password_ends_every_session_of_its_person(world: World) -> None:
    client = world.client()
    log_in(client, "eve")
    uow = UnitOfWork(world.database.sessions)
    accounts.set_password(uow, "admin", "eve", "another long passphrase")
    try:
        assert _logged_out(world, client)
    finally:
        accounts.set_password(uow, "admin", "eve", PASSWORD)


def test_a_session_expires_after_its_lifetime(world: World) -> None:
    uow = UnitOfWork(world.database.sessions)
    _, token = accounts.log_in(uow, "bea", PASSWORD, now=T0)
    last = T0 + accounts.SESSION_LIFETIME - timedelta(seconds=1)
    for minutes in range(20, 12 * 60, 20):  # in use all along: never idle
        assert accounts.session_actor(uow, token, now=T0 + timedelta(minutes=minutes))
    assert accounts.session_actor(uow, token, now=last).username == "bea"
    assert accounts.session_actor(uow, token, now=last + timedelta(seconds=1)) is None
    cookie = WebSettings(secure_cookies=False).session_cookie
    client = world.client()
    client.cookies.set(cookie, token)  # T0 is in 2030: still live today
    assert not _logged_out(world, client)
    _, old = accounts.log_in(uow, "bea", PASSWORD, now=datetime(2020, 1, 1, tzinfo=UTC))
    client.cookies.set(cookie, old)  # twelve hours in 2020: long expired
    assert _logged_out(world, client)


def test_a_session_ends_after_the_policy_s_idle_minutes(world: World) -> None:
    uow = UnitOfWork(world.database.sessions)
    _, token = accounts.log_in(uow, "bea", PASSWORD, now=T0)
    idle = timedelta(minutes=bundled_policy().account_rules.idle_minutes)
    assert idle == timedelta(minutes=30)
    assert accounts.session_actor(uow, token, now=T0 + idle - timedelta(seconds=1))
    later = T0 + 2 * idle - timedelta(seconds=2)
    assert accounts.session_actor(uow, token, now=later)  # the last use moved the idle start
    assert accounts.session_actor(uow, token, now=later + idle) is None


def test_logging_out_deletes_the_cookie_as_it_was_set(world: World) -> None:
    settings = WebSettings(secure_cookies=True)
    client = TestClient(world.app(settings), base_url="https://testserver", follow_redirects=False)
    token = log_in(client, "bea")
    set_at_login = client.post(
        "/login", data={"username": "bea", "password": PASSWORD, "csrf_token": token}
    ).headers.get_list("set-cookie")
    session_cookie = next(c for c in set_at_login if c.startswith("__Host-openlfr_session="))
    token = csrf_of(client.get("/").text)
    gone = client.post("/logout", data={"csrf_token": token}).headers.get_list("set-cookie")
    deleted = next(c for c in gone if c.startswith("__Host-openlfr_session="))
    assert "max-age=0" in deleted.lower()
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=strict"):
        assert attribute.lower() in session_cookie.lower(), attribute
        assert attribute.lower() in deleted.lower(), attribute
