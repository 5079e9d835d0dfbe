"""The web tests' kit and world: the governance test kit's cast and flows (tests/govkit.py),
each person with a password, deployments in the states the pages need, and an alert."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
from fastapi.testclient import TestClient

from govkit import PEOPLE, T0, Flow, add_people
from openlfr.domain.alerts import Alert, Candidate
from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts, alerts
from openlfr.services.users import add_user
from openlfr.store.db import Database, open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings

PASSWORD = "correct horse battery"
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


@dataclass
class World:
    database: Database
    live_state: LiveState
    draft: str
    live: str
    alert_id: str

    def client(self) -> TestClient:
        app = create_app(WebSettings(secure_cookies=False), self.database, self.live_state)
        return TestClient(app, follow_redirects=False)


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
    return World(database, state, Flow(uow).opened(), live, alert.id)


def log_in(client: TestClient, username: str) -> str:
    """Log in through the form; returns the CSRF token for the next posts."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)
