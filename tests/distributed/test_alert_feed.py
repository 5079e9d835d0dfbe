"""The consoles hear the matchers: an alert event published by a matcher's hub reaches the hub
of a console started with the broker (through its app's lifespan), and a listener under
another broker key drops it unread."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from distkit import wait_for
from fastapi.testclient import TestClient

from govkit import START
from openlfr.distributed.alert_feed import AlertRelay, BroadcastHub
from openlfr.distributed.broker import BrokerKey, Names, new_broker_key
from openlfr.domain.alerts import Alert
from openlfr.live.desk import AlertEvent, AlertHub
from openlfr.store.db import open_database
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings


def _alert() -> Alert:
    at = START + timedelta(minutes=20)
    return Alert(
        deployment_id="d-1", camera="cam-1", track="cam-1/4@r1", subject="W-1001", score=0.61,
        candidates=[], best_shot_frame=10, best_shot_at=at, raised_at=at, raised_at_frame=12,
    )  # fmt: skip


def test_a_console_hears_each_alert_a_matcher_raises(
    redis_url: str,
    namespace: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared = new_broker_key()
    monkeypatch.setenv("OPENLFR_BROKER_KEY", shared)
    client = redis.Redis.from_url(redis_url)
    live = LiveState()
    console = live.hub.subscribe()
    settings = WebSettings(secure_cookies=False, broker_url=redis_url, broker_namespace=namespace)
    app = create_app(settings, open_database(f"sqlite:///{tmp_path / 'console.db'}"), live)
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
