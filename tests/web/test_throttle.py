"""Failed logins slow the guesser down, never lock the owner out: back-off per client, per
account from that client, and (capped low) per account from anywhere. The client is the
forwarded address only when the request came through a configured trusted proxy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from web_world import PASSWORD, World, csrf_of

from openlfr.services.audit import audit_history
from openlfr.store.uow import UnitOfWork
from openlfr.web.security import LoginThrottle, client_address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_back_off_doubles_after_the_free_failures_and_is_capped() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=3, cap_seconds=60, account_cap_seconds=30, clock=clock)
    waits = []
    for _ in range(10):
        throttle.failed("10.0.0.9", "admin")
        waits.append(throttle.wait("10.0.0.9", "admin"))
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    clock.now += 59.5
    assert throttle.wait("10.0.0.9", "admin") == 0.5
    clock.now += 0.5
    assert throttle.wait("10.0.0.9", "admin") == 0


@given(st.integers(min_value=1, max_value=300))
def test_a_stranger_cannot_hold_the_administrator_out(failures: int) -> None:
    clock = Clock()
    throttle = LoginThrottle(free=5, cap_seconds=900, account_cap_seconds=30, clock=clock)
    for attempt in range(failures):
        throttle.failed(f"198.51.100.{attempt % 250}", "admin")
    assert throttle.wait("203.0.113.7", "admin") <= 30
    assert throttle.wait("203.0.113.7", "someone-else") == 0
    clock.now += 30
    assert throttle.wait("203.0.113.7", "admin") == 0


def test_the_guessing_client_waits_for_every_account() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=2, cap_seconds=900, account_cap_seconds=30, clock=clock)
    for number in range(12):
        throttle.failed("198.51.100.1", f"user{number}")
    assert throttle.wait("198.51.100.1", "user99") > 30
    assert throttle.wait("203.0.113.7", "user99") == 0


def test_success_clears_the_account_but_not_the_client() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=2, cap_seconds=900, account_cap_seconds=30, clock=clock)
    throttle.failed("10.0.0.1", "otto")
    throttle.failed("10.0.0.1", "otto")
    assert throttle.wait("10.0.0.2", "otto") > 0
    throttle.succeeded("10.0.0.1", "otto")
    assert throttle.wait("10.0.0.2", "otto") == 0
    assert throttle.wait("10.0.0.1", "anyone") > 0


def test_the_forwarded_address_counts_only_from_a_trusted_proxy() -> None:
    proxies = ("10.0.0.0/8",)
    forwarded = "203.0.113.7, 10.1.1.1"
    assert client_address("10.0.0.2", forwarded, proxies) == "203.0.113.7"
    assert client_address("198.51.100.4", forwarded, proxies) == "198.51.100.4"
    assert client_address("10.0.0.2", None, proxies) == "10.0.0.2"
    assert client_address("10.0.0.2", "not an address", proxies) == "10.0.0.2"
    assert client_address("10.0.0.2", forwarded, ()) == "10.0.0.2"


def test_a_throttled_login_says_when_to_retry_and_failures_are_audited(world: World) -> None:
    client = world.client()
    client.app.state.throttle = LoginThrottle(free=5, cap_seconds=900, clock=Clock())
    token = csrf_of(client.get("/login").text)
    form = {"username": "audrey", "password": "not her password", "csrf_token": token}
    statuses = [client.post("/login", data=form).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    refused = client.post("/login", data={**form, "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    failed = [
        entry
        for entry in audit_history(UnitOfWork(world.database.sessions), "user", "audrey")
        if entry.action == "account.login_failed"
    ]
    assert len(failed) == 5
    assert failed[0].after == {"client": "testclient"}
