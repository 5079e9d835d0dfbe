"""The console's wiring to the services: uploads refused before the import service sees them,
camera sources only from the allow-list, the watchlist image gone with its snapshot, the
register's exports, and the retention schedule started and stopped with the app."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from web_world import World, log_in, raise_alert

from govkit import END, Flow, add_people
from openlfr.domain.register import REGISTER_COLUMNS
from openlfr.services import alerts
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings, parse_sources
from openlfr.web.uploads import safe_name
from timing import HeldClock, threads_named


def test_upload_names_stay_in_the_folder() -> None:
    for bad in ("../etc/passwd", "a/b.jpg", "..jpg", ".hidden.jpg", "c:\\x.jpg", "", None):
        assert safe_name(bad) is None, bad
    assert safe_name("W-1001_b.jpg") == "W-1001_b.jpg"


def test_a_traversing_upload_is_refused(world: World) -> None:
    client = world.client()
    token = log_in(client, "gail")
    files = [
        ("records", ("records.csv", b"reference\n", "text/csv")),
        ("images", ("../../evil.jpg", b"\xff\xd8", "image/jpeg")),
    ]
    response = client.post("/watchlist/import", data={"csrf_token": token}, files=files)
    assert response.status_code == 422
    assert "not a plain .jpg" in response.text


def test_cameras_run_only_on_allowed_sources(world: World) -> None:
    app = world.app(WebSettings(secure_cookies=False, camera_sources={"clip": "/nowhere.mp4"}))
    client = TestClient(app, follow_redirects=False)
    token = log_in(client, "gail")
    response = client.post(
        f"/deployments/{world.live}/cameras/run",
        data={"csrf_token": token, "source:cam-1": "/etc/passwd"},
    )
    assert response.status_code == 422
    assert "not an allowed camera source" in response.text
    assert "no frozen snapshot" not in response.text
    assert (
        '<option value="clip">clip</option>'
        in client.get(f"/deployments/{world.live}/console").text
    )


def test_sources_setting() -> None:
    assert parse_sources("cam-1=/v/a.mp4, cam-2=rtsp://h/s?a=b,junk,") == {
        "cam-1": "/v/a.mp4",
        "cam-2": "rtsp://h/s?a=b",
    }


def test_watchlist_image_is_gone_without_a_snapshot(world: World) -> None:
    client = world.client()
    log_in(client, "otto")
    page = client.get(f"/alerts/{world.alert_id}")
    assert "destroyed with the watchlist" in page.text
    response = client.get(f"/alerts/{world.alert_id}/watchlist-image")
    assert response.status_code == 404
    assert "destroyed with the watchlist" in response.text


def test_register_exports_have_the_mps_columns(world: World) -> None:
    client = world.client()
    exported = client.get("/register.csv")
    assert exported.status_code == 200
    assert next(csv.reader(io.StringIO(exported.text))) == list(REGISTER_COLUMNS)
    assert json.loads(client.get("/register.json").text) == []
    assert "nosniff" in exported.headers["x-content-type-options"]


def test_retention_runs_while_the_app_is_up(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'retention.db'}")
    uow, vault = UnitOfWork(database.sessions), Vault(os.urandom(32))
    add_people(uow)
    flow = Flow(uow)
    ref = flow.live()
    with uow:
        deployment_id = uow.deployments.named(ref).id
    raise_alert(database, vault, deployment_id)
    flow.closed(ref)
    clock = HeldClock(END + timedelta(days=32))  # past every alert's retention period
    settings = WebSettings(secure_cookies=False, run_retention=True, retention_interval_seconds=0)
    app = create_app(settings, database, LiveState(vault=vault), clock)
    try:
        with TestClient(app):
            assert clock.first_run_done.wait(60), "retention never ran"
            assert alerts.list_alerts(uow, ref) == []  # the alert is gone while the app is up
            clock.release()
        assert not threads_named("retention")  # and the schedule stops with the app
    finally:
        clock.release()
        database.dispose()


def test_no_equitability_evidence_is_a_warning(world: World) -> None:
    client = world.client()
    log_in(client, "bob")
    page = client.get(f"/deployments/{world.live}/review")
    assert "No equitability evidence recorded" in page.text
