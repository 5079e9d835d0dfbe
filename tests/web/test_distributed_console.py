"""The console in distributed mode (started with a broker): it hears the matchers' alert events
(a listener under another broker key drops them unread), and it says where each camera runs."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

import pytest
import redis
from fastapi.testclient import TestClient
from web_world import World, log_in

from govkit import START
from openlfr.distributed.alert_feed import AlertRelay, BroadcastHub
from openlfr.distributed.broker import BrokerKey, Names, new_broker_key
from openlfr.distributed.coordination import beat
from openlfr.domain.alerts import Alert
from openlfr.live.desk import AlertEvent, AlertHub
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings
from timing import wait_for


def _alert() -> Alert:
    at = START + timedelta(minutes=20)
    return Alert(
        deployment_id="d-1", camera="cam-1", track="cam-1/4@r1", subject="W-1001", score=0.61,
        candidates=[], best_shot_frame=10, best_shot_at=at, raised_at=at, raised_at_frame=12,
    )  # fmt: skip


def test_a_console_hears_each_alert_a_matcher_raises(
    world: World,
    redis_url: str,
    namespace: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared = new_broker_key()
    monkeypatch.setenv("OPENLFR_BROKER_KEY", shared)
    client = redis.Redis.from_url(redis_url)
    live = LiveState()
    console = live.hub.subscribe()
    settings = WebSettings(secure_cookies=False, broker_url=redis_url, broker_namespace=namespace)
    app = create_app(settings, world.database, live)
    other_key = BrokerKey(base64.b64decode(new_broker_key()))
    impostor = AlertRelay(client, namespace, other_key, AlertHub())
    matcher = BroadcastHub(client, Names(namespace, "LFR-1"), BrokerKey.from_environment(), "m1")
    raised = AlertEvent("raised", _alert())
    with TestClient(app), caplog.at_level(logging.WARNING):
        impostor.start()
        matcher.publish(raised)
        heard = console.get(timeout=10)
        wait_for(lambda: "failed authentication" in caplog.text, 10, "the impostor drops it")
        impostor.stop()
    assert heard == raised


def test_the_console_says_where_each_camera_runs(
    world: World, redis_url: str, namespace: str
) -> None:
    client, names = redis.Redis.from_url(redis_url), Names(namespace, world.live)
    client.hset(names.cameras, "cam-1", "rtsp://10.1.0.5/stream")
    client.hset(names.assignment, "cam-1", "w-van7")
    client.hset(names.state, "cam-1", "live")
    info = {"cameras": ["cam-1"], "ended": [], "frames": {"cam-1": 12345}}
    beat(client, names, "worker", "w-van7", info, ttl=60)
    settings = WebSettings(secure_cookies=False, broker_url=redis_url, broker_namespace=namespace)
    console = TestClient(world.app(settings, LiveState()), follow_redirects=False)
    log_in(console, "gail")
    page = console.get(f"/deployments/{world.live}/console").text
    assert "cam-1: running on worker w-van7 (12,345 frames)" in page
    assert "the preview stays on the worker" in page
    assert "Run the cameras" not in page  # not a second time, in this server
