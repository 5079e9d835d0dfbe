"""The web tests' kit and world: the governance test kit's cast and flows (tests/govkit.py),
each person with a password, deployments in the states the pages need, and an alert."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient

from govkit import PEOPLE, T0, Flow, add_people
from openlfr.domain.alerts import Alert, Candidate
from openlfr.domain.roles import Actor, Role
from openlfr.domain.second_factor import ENROL, STEP_SECONDS
from openlfr.services import accounts, alerts, second_factor
from openlfr.services.users import add_user
from openlfr.store.db import Database, open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings

PASSWORD = "correct horse battery"
SECOND_FACTOR = re.compile(r"/login/(enrol|code)")
DPO = Actor(username="dora", display_name="Dora DPO", roles=frozenset({Role.DPO}))
ONE_PER_ROLE = {
    Role.ADMINISTRATOR: "admin",
    Role.APPLICANT: "alice",
    Role.AUTHORISING_OFFICER: "bob",
    Role.GOLD: "gail",
    Role.SILVER: "sam",
    Role.BRONZE: "bea",
    Role.OPERATOR: "otto",
    Role.ENGAGEMENT_OFFICER: "eve",
    Role.DPO: "dora",
    Role.AUDITOR: "audrey",
}
"""Each a person holding only that role, and (for command posts) posted to `World.live`."""

CSRF = re.compile(r'name="csrf-token" content="([0-9a-f]+)"')


def small_jpeg() -> bytes:
    ok, encoded = cv2.imencode(".jpg", np.full((64, 64, 3), 128, np.uint8))
    assert ok
    return encoded.tobytes()


def raise_alert(database: Database, vault: Vault, deployment_id: str) -> Alert:
    at = T0 + timedelta(hours=3)
    alert = Alert(
        deployment_id=deployment_id,
        camera="cam-1",
        track="t1",
        subject="WL-0007",
        score=0.71,
        candidates=[
            Candidate(subject="WL-0007", score=0.71),
            Candidate(subject="WL-0101", score=0.52),
        ],
        best_shot_frame=10,
        best_shot_at=at,
        raised_at=at,
        raised_at_frame=12,
    )
    return alerts.record_alert(UnitOfWork(database.sessions), alert, small_jpeg(), vault)


class KitClock:
    """The console's clock in the web tests: today, moved one 30-second step on at each second
    factor the kit types, so no code is ever refused as a replay and no test sleeps."""

    def __init__(self) -> None:
        self.ahead = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def advance(self) -> None:
        self.ahead += timedelta(seconds=STEP_SECONDS)


@dataclass
class Phone:
    """Everyone's authenticator app in the tests: their secrets, and codes on the kit's clock."""

    clock: KitClock = field(default_factory=KitClock)
    secrets: dict[str, str] = field(default_factory=dict)
    last_code: dict[str, str] = field(default_factory=dict)

    def code_for(self, username: str) -> str:
        """A fresh code, as the person's phone would show it one step later."""
        self.clock.advance()
        code = pyotp.TOTP(self.secrets[username]).at(self.clock())
        self.last_code[username] = code
        return code

    def enrol(self, database: Database, username: str) -> None:
        """Set up a person's second factor as the login does (password, secret, code), when
        their roles need one."""
        uow = UnitOfWork(database.sessions)
        _, token = accounts.log_in(uow, username, PASSWORD, self.clock())
        if second_factor.pending_stage(uow, token, self.clock()) != ENROL:
            return
        self.secrets[username] = second_factor.start_enrolment(uow, token, self.clock()).secret
        second_factor.confirm_enrolment(uow, token, self.code_for(username), self.clock())


@dataclass
class World:
    database: Database
    live_state: LiveState
    draft: str
    live: str
    alert_id: str
    phone: Phone = field(default_factory=Phone)

    @property
    def clock(self) -> KitClock:
        return self.phone.clock

    @property
    def last_code(self) -> dict[str, str]:
        return self.phone.last_code

    def code_for(self, username: str) -> str:
        return self.phone.code_for(username)

    def enrol(self, username: str) -> None:
        self.phone.enrol(self.database, username)

    def app(self, settings: WebSettings | None = None, live: LiveState | None = None) -> FastAPI:
        """The console on this world's database and clock; `log_in` finds the kit through it."""
        settings = settings or WebSettings(secure_cookies=False)
        app = create_app(settings, self.database, live or self.live_state, clock=self.clock)
        app.state.kit = self.phone
        return app

    def client(self) -> TestClient:
        return TestClient(self.app(), follow_redirects=False)


def build_world(path: Path) -> World:
    database = open_database(f"sqlite:///{path / 'web.db'}")
    uow = UnitOfWork(database.sessions)
    add_people(uow)
    add_user(uow, "admin", DPO)
    for person in [*PEOPLE, DPO]:
        accounts.set_password(uow, "admin", person.username, PASSWORD)
    vault = Vault(os.urandom(32))
    live = Flow(uow).live()
    with uow:
        deployment_id = uow.deployments.named(live).id
    alert = raise_alert(database, vault, deployment_id)
    state = LiveState(vault=vault)
    state.attach_preview(deployment_id, "cam-1", small_jpeg)
    world = World(database, state, Flow(uow).opened(), live, alert.id)
    for person in [*PEOPLE, DPO]:
        world.enrol(person.username)
    return world


def log_in(client: TestClient, username: str) -> str:
    """Log in through the forms, the second factor too when the person's role needs one (a code
    from the kit's authenticator); returns the CSRF token for the next posts."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    if SECOND_FACTOR.match(response.headers["location"]):
        world: World = client.app.state.kit  # type: ignore[attr-defined]
        token = csrf_of(client.get(response.headers["location"]).text)
        form = {"code": world.code_for(username), "csrf_token": token}
        response = client.post("/login/code", data=form)
        assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)
