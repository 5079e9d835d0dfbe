"""A session ends when its person logs out, when their password changes, and when it expires;
after that every page sends them back to the login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from web_world import PASSWORD, World, log_in

from govkit import T0
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
    assert accounts.session_actor(uow, token, now=last).username == "bea"
    assert accounts.session_actor(uow, token, now=last + timedelta(seconds=1)) is None
    cookie = WebSettings(secure_cookies=False).session_cookie
    client = world.client()
    client.cookies.set(cookie, token)  # T0 is in 2030: still live today
    assert not _logged_out(world, client)
    _, old = accounts.log_in(uow, "bea", PASSWORD, now=datetime(2020, 1, 1, tzinfo=UTC))
    client.cookies.set(cookie, old)  # twelve hours in 2020: long expired
    assert _logged_out(world, client)
