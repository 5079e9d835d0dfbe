"""An administrator's page of people: adding one is all or nothing, a refused password says
why; disabling ends the person's sessions at once and re-enabling lets them back; roles change;
a lost second factor is reset; a person who never took part in a record can be removed; the
last login is shown. Every step is audited."""

from __future__ import annotations

import re

from web_world import PASSWORD, World, csrf_of, log_in

from openlfr.services.audit import audit_history
from openlfr.services.users import list_users
from openlfr.store.uow import UnitOfWork


def _admin(world: World):  # type: ignore[no-untyped-def]
    client = world.client()
    return client, log_in(client, "admin")


def _people(world: World) -> set[str]:
    return {person.username for person in list_users(UnitOfWork(world.database.sessions))}


def _actions(world: World, username: str) -> list[str]:
    history = audit_history(UnitOfWork(world.database.sessions), "user", username)
    return [entry.action for entry in history]


def _add(client, token: str, username: str, password: str, role: str = "bronze"):  # type: ignore[no-untyped-def]
    form = {
        "csrf_token": token,
        "username": username,
        "display_name": username.title(),
        "roles": role,
        "password": password,
    }
    return client.post("/admin/users", data=form)


def test_a_refused_password_adds_no_one_and_says_why(world: World) -> None:
    client, token = _admin(world)
    refused = _add(client, token, "nell", "password1234")
    assert refused.status_code == 422
    assert "too easy to guess" in refused.text
    assert "nell" not in _people(world)
    blank = _add(client, token, "nell", " " * 14)
    assert blank.status_code == 422 and "only spaces" in blank.text
    assert _add(client, token, "nell", "a sturdy long passphrase").status_code == 303
    assert "nell" in _people(world)


def test_disabling_ends_sessions_at_once_and_enabling_lets_them_back(world: World) -> None:
    admin, token = _admin(world)
    bea = world.client()
    log_in(bea, "bea")
    assert bea.get("/").status_code == 200
    assert admin.post("/admin/users/bea/disable", data={"csrf_token": token}).status_code == 303
    assert bea.get("/").status_code == 303
    again = world.client()
    form = {
        "username": "bea",
        "password": PASSWORD,
        "csrf_token": csrf_of(again.get("/login").text),
    }
    refused = again.post("/login", data=form)
    assert refused.status_code == 422 and "disabled" in refused.text
    assert "Disabled" in admin.get("/admin/users").text
    assert admin.post("/admin/users/bea/enable", data={"csrf_token": token}).status_code == 303
    log_in(world.client(), "bea")
    assert {"account.disabled", "account.enabled"} <= set(_actions(world, "bea"))


def test_an_administrator_cannot_disable_or_remove_themself(world: World) -> None:
    admin, token = _admin(world)
    for step in ("disable", "remove"):
        answer = admin.post(f"/admin/users/admin/{step}", data={"csrf_token": token})
        assert answer.status_code == 422 and "yourself" in answer.text
    assert admin.get("/").status_code == 200


def test_roles_change_and_the_change_is_audited(world: World) -> None:
    admin, token = _admin(world)
    assert _add(admin, token, "ross", "a sturdy long passphrase").status_code == 303
    form = {"csrf_token": token, "roles": ["bronze", "engagement_officer"], "rank": "sergeant"}
    assert admin.post("/admin/users/ross/roles", data=form).status_code == 303
    ross = next(p for p in list_users(UnitOfWork(world.database.sessions)) if p.username == "ross")
    assert {r.value for r in ross.roles} == {"bronze", "engagement_officer"}
    assert ross.rank == "sergeant"
    assert "user.updated" in _actions(world, "ross")


def test_removing_someone_who_never_acted_and_refusing_for_one_who_did(world: World) -> None:
    admin, token = _admin(world)
    assert _add(admin, token, "rita", "a sturdy long passphrase").status_code == 303
    assert admin.post("/admin/users/rita/remove", data={"csrf_token": token}).status_code == 303
    assert "rita" not in _people(world)
    assert "user.removed" in _actions(world, "rita")
    for named in ("alice", "bob"):  # a row names alice; bob's decisions are in the audit log
        kept = admin.post(f"/admin/users/{named}/remove", data={"csrf_token": token})
        assert kept.status_code == 422 and "disable" in kept.text
        assert named in _people(world)


def test_the_page_shows_the_last_login_and_second_factor(world: World) -> None:
    admin, token = _admin(world)
    page = admin.get("/admin/users").text
    row = re.search(r"<tr[^>]*>\s*<td>admin</td>(.*?)</tr>", page, re.S)
    assert row, page
    assert "Last login" in page and re.search(r"\d{1,2} \w{3} \d{4} \d\d:\d\d", row[1])
    assert "second step set up" in row[1]
    reset = admin.post("/admin/users/gail/second-factor/reset", data={"csrf_token": token})
    assert reset.status_code == 303
    assert "account.second_factor_reset" in _actions(world, "gail")
    world.enrol("gail")
