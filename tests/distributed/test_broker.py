"""The envelope, the stream bound and the idempotent alert record, in process: a wrong key or a
moved message is refused, a decision stream never outgrows its bound, and recording the same
alert twice pages once."""

from __future__ import annotations

import base64
from datetime import timedelta

import cv2
import numpy as np
import pytest
import redis

from govkit import START
from openlfr.distributed.broker import (
    DECIDE_MAXLEN,
    BrokerError,
    BrokerKey,
    BrokerRefused,
    Names,
    new_broker_key,
)
from openlfr.distributed.wire import Publisher
from openlfr.domain.alerts import Alert, Sighting
from openlfr.services import deployments
from openlfr.services.alert_delivery import IdempotentAlertSink
from openlfr.services.alerts import list_alerts
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault, new_master_key


def _key() -> BrokerKey:
    return BrokerKey(base64.b64decode(new_broker_key()))


def test_a_sealed_message_opens_only_with_its_key_and_on_its_stream() -> None:
    key = _key()
    template = np.random.default_rng(1).random(128, np.float32)
    fields = key.seal("ns:d:decide:0", "template", "w1", {"track": "cam-1/1@x"}, template.tobytes())
    assert template.tobytes() not in b"".join(fields.values())
    received = {k.encode(): v for k, v in fields.items()}
    opened = key.open("ns:d:decide:0", received)
    assert opened.header == {"track": "cam-1/1@x"} and opened.blob == template.tobytes()
    with pytest.raises(BrokerRefused):
        _key().open("ns:d:decide:0", received)
    with pytest.raises(BrokerRefused):
        key.open("ns:d:decide:1", received)


def test_a_decision_stream_never_outgrows_its_bound(redis_url: str, namespace: str) -> None:
    client, names, key = redis.Redis.from_url(redis_url), Names(namespace, "LFR-1"), _key()
    publisher = Publisher(client, names, key, "w1", partitions=1)
    template = np.zeros(128, np.float32)
    for n in range(DECIDE_MAXLEN + 50):  # a matcher outage: nobody reads
        publisher.template("cam-1", f"cam-1/{n}@r", template, 0.0, 1.0)
    stream = names.decide(0)
    assert client.xlen(stream) == DECIDE_MAXLEN
    ((_, fields),) = client.xrange(stream, count=1)
    assert key.open(stream, fields).header["track"] == "cam-1/50@r"  # the oldest 50 dropped


def test_the_broker_key_is_not_the_vault_key(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = new_broker_key()
    monkeypatch.setenv("OPENLFR_BROKER_KEY", shared)
    monkeypatch.setenv("OPENLFR_VAULT_KEY", shared)
    with pytest.raises(BrokerError, match="not be the vault key"):
        BrokerKey.from_environment()


def test_a_redelivered_alert_or_sighting_is_recorded_once(
    deployment: str, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLFR_VAULT_KEY", new_master_key())
    database = open_database(postgres_url)
    uow = UnitOfWork(database.sessions)
    found = deployments.get_deployment(uow, deployment)
    sink = IdempotentAlertSink(database, Vault.from_environment(data_dirs=[]))
    at = START + timedelta(minutes=20)
    _, jpeg = cv2.imencode(".jpg", np.full((40, 40, 3), 128, np.uint8))

    def alert() -> Alert:
        return Alert(
            deployment_id=found.id, camera="cam-1", track="cam-1/4@r1", subject="S1", score=0.6,
            candidates=[], best_shot_frame=10, best_shot_at=at, raised_at=at, raised_at_frame=12,
        )  # fmt: skip

    first, again = alert(), alert()
    sink.raised(first, jpeg.tobytes())
    sink.raised(again, jpeg.tobytes())
    assert again.id == first.id  # the desk adopts the stored alert
    sighting = Sighting(camera="cam-1", track="cam-1/9@r1", score=0.5, frame=40, at=at)
    sink.sighted(first, sighting)
    sink.sighted(first, sighting)
    (stored,) = list_alerts(uow, deployment)
    assert stored.id == first.id and stored.sightings == [sighting]
    database.dispose()
