"""Privileged roles need a second factor (the policy names them): a new one enrols at first
login from a QR code and keeps ten single-use recovery codes, stored hashed; later logins ask
for the code, and a code once used is refused again."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import text
from web_world import PASSWORD, World, csrf_of, log_in

from openlfr.domain.policy import AccountRules
from openlfr.domain.policy_file import bundled_policy
from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts
from openlfr.services.audit import audit_history
from openlfr.services.users import add_user
from openlfr.store.uow import UnitOfWork
from openlfr.web.routes.session import safe_next
from openlfr.web.security import LoginThrottle

SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r'<li class="recovery">([a-z0-9-]+)</li>')


def _newcomer(world: World, username: str, role: Role) -> None:
    uow = UnitOfWork(world.database.sessions)
    add_user(uow, "admin", Actor(username=username, display_name=username.title(), roles={role}))
    accounts.set_password(uow, "admin", username, PASSWORD)


def _password(world: World, client, username: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/login").text)
    form = {"username": username, "password": PASSWORD, "csrf_token": token}
    return client.post("/login", data=form)


def _opens_pages(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


def test_the_policy_names_the_roles_that_need_a_second_factor() -> None:
    rules = bundled_policy().account_rules
    for role in (Role.AUTHORISING_OFFICER, Role.GOLD, Role.SILVER, Role.ADMINISTRATOR):
        assert rules.needs_second_factor({role})
    for role in (Role.DPO, Role.AUDITOR, Role.OPERATOR):
        assert rules.needs_second_factor({role})
    assert not rules.needs_second_factor({Role.BRONZE, Role.APPLICANT})
    assert AccountRules(second_factor_roles=["bronze"]).needs_second_factor({Role.BRONZE})


def test_a_privileged_newcomer_enrols_at_first_login(world: World) -> None:
    _newcomer(world, "gus", Role.GOLD)
    client = world.client()
    answer = _password(world, client, "gus")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login/enrol")
    assert not _opens_pages(client)
    page = client.get("/login/enrol")
    assert page.status_code == 200 and "<svg" in page.text
    found = SECRET.search(page.text)
    assert found
    totp = pyotp.TOTP(found[1].replace(" ", ""))
    token = csrf_of(page.text)
    wrong = client.post("/login/enrol", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 422 and not _opens_pages(client)
    world.clock.advance()
    done = client.post("/login/enrol", data={"code": totp.at(world.clock()), "csrf_token": token})
    assert done.status_code == 200
    codes = RECOVERY.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _opens_pages(client)
    with world.database.engine.connect() as connection:
        stored = connection.execute(text("select code_hash from recovery_codes")).scalars().all()
    assert not set(codes) & set(stored)
    history = audit_history(UnitOfWork(world.database.sessions), "user", "gus")
    actions = [entry.action for entry in history]
    assert (
        actions.index("account.second_factor_failed")
        < actions.index("account.second_factor_enrolled")
        < actions.index("account.login")
    )


def test_a_code_is_asked_at_every_login_and_works_once(world: World) -> None:
    client = world.client()
    log_in(client, "gail")
    assert _opens_pages(client)
    other = world.client()
    answer = _password(world, other, "gail")
    assert answer.headers["location"].startswith("/login/code")
    assert not _opens_pages(other)
    reused = world.last_code["gail"]
    token = csrf_of(other.get("/login/code").text)
    assert other.post("/login/code", data={"code": reused, "csrf_token": token}).status_code == 422
    assert not _opens_pages(other)


def test_a_recovery_code_opens_the_console_once(world: World) -> None:
    _newcomer(world, "sid", Role.SILVER)
    client = world.client()
    _password(world, client, "sid")
    secret = SECRET.search(client.get("/login/enrol").text)
    assert secret
    token = csrf_of(client.get("/login/enrol").text)
    world.clock.advance()
    code = pyotp.TOTP(secret[1].replace(" ", "")).at(world.clock())
    codes = RECOVERY.findall(
        client.post("/login/enrol", data={"code": code, "csrf_token": token}).text
    )
    for attempt, expected in ((1, 303), (2, 422)):
        fresh = world.client()
        _password(world, fresh, "sid")
        token = csrf_of(fresh.get("/login/code").text)
        answer = fresh.post("/login/code", data={"code": codes[0], "csrf_token": token})
        assert answer.status_code == expected, attempt
        assert _opens_pages(fresh) == (expected == 303)


def test_a_role_without_the_need_logs_in_with_the_password_alone(world: World) -> None:
    client = world.client()
    answer = _password(world, client, "bea")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert _opens_pages(client)


def test_wrong_codes_are_throttled_per_account(world: World) -> None:
    """From a new address each time, and a fresh password login each time: the account's tally
    of wrong codes still grows (a correct password does not reset it until the code is right)."""
    app = world.app()
    app.state.throttle = LoginThrottle(free=3, account_cap_seconds=30, clock=lambda: 0.0)
    statuses = []
    for number in range(4):
        client = TestClient(app, follow_redirects=False, client=(f"198.51.100.{number}", 5000))
        answer = _password(world, client, "sam")
        if answer.status_code == 303:
            token = csrf_of(client.get("/login/code").text)
            answer = client.post("/login/code", data={"code": "000000", "csrf_token": token})
        statuses.append(answer.status_code)
    assert statuses == [422, 422, 422, 429]  # the fourth waits (at the password already)


def test_the_page_after_login_is_always_on_this_site() -> None:
    for target in ("//evil.example", "/\\evil.example", "https://evil.example", "evil"):
        assert safe_next(target) == "/", target
    assert safe_next("/deployments/LFR-1") == "/deployments/LFR-1"
