"""The one switch: `openlfr live run` with a broker configured is the deployment's matcher, and
`openlfr worker` runs its camera; the whole deployment from the demo's services (a real
imported and frozen watchlist, a window open now), alerts and metrics in PostgreSQL."""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from processes import Procs, stored

from openlfr.demo import cast
from openlfr.demo.deployment import CAMERA, apply_and_authorise, prepare
from openlfr.demo.material import make_walkpast
from openlfr.demo.summary import walked_past
from openlfr.demo.watchlist import bundled_casting
from openlfr.distributed.alert_feed import AlertRelay
from openlfr.distributed.broker import BrokerKey, Names
from openlfr.domain.deployment import Deployment
from openlfr.live.desk import AlertHub
from openlfr.services import deployments
from openlfr.services.alerts import camera_metrics, list_alerts
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from timing import wait_for

PHOTOS = Path(__file__).parents[2] / "demo" / "photos"


def _live_now(postgres_url: str, work: Path) -> tuple[str, Path, dict]:
    """The demo's deployment, live now: its reference, walk-past video and truth."""
    database = open_database(postgres_url)
    try:

        def uow() -> UnitOfWork:
            return UnitOfWork(database.sessions)

        now = datetime.now(UTC)
        cast.enlist(uow, cast.new_password(), now)
        ref = apply_and_authorise(uow, now)
        casting = bundled_casting(PHOTOS, seed=7)
        video, truth = make_walkpast(casting, PHOTOS, work, 2, 3, seed=7)
        prepare(uow, ref, casting, work, Vault.from_environment(data_dirs=[]))
        return ref, video, truth
    finally:
        database.dispose()


def _read(postgres_url: str, ref: str) -> tuple[list, list]:
    return stored(postgres_url, lambda uow: (list_alerts(uow, ref), camera_metrics(uow, ref)))


def _deployment(postgres_url: str, ref: str) -> Deployment:
    return stored(postgres_url, lambda uow: deployments.get_deployment(uow, ref))


def test_live_run_with_a_broker_decides_for_workers(
    procs: Procs, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLFR_VAULT_KEY", procs.env["OPENLFR_VAULT_KEY"])
    ref, video, truth = _live_now(postgres_url, tmp_path)
    run = [sys.executable, "-m", "openlfr", "live", "run", ref, "--camera", f"{CAMERA}={video}"]
    env = procs.env | {"OPENLFR_BROKER_URL": procs.redis_url}
    env["OPENLFR_BROKER_NAMESPACE"] = procs.namespace
    gold, operator = cast.GOLD_COMMANDER.username, cast.OPERATOR.username
    for who, threshold, why in (
        (operator, "0.45", "only the deployment's Gold or Silver may run cameras"),
        (gold, "0.3", "threshold 0.3 is below the approved 0.45"),
    ):
        refused = subprocess.run(
            [*run, "--as", who, "--threshold", threshold], env=env, capture_output=True, text=True
        )
        assert refused.returncode == 2 and why in refused.stderr, refused.stderr
    client, names = redis.Redis.from_url(procs.redis_url), Names(procs.namespace, ref)
    assert not client.keys(f"{names.base}:*")  # the refused runs wrote nothing to the broker

    console = AlertHub()  # what a console started with the broker hears
    heard = console.subscribe()
    relay = AlertRelay(
        client, procs.namespace, BrokerKey(base64.b64decode(env["OPENLFR_BROKER_KEY"])), console
    )
    relay.start()
    procs.openlfr("matcher", *run[3:], "--as", gold, "--threshold", "0.45")
    procs.worker(ref, "w1")
    wait_for(lambda: b'"ended": ["cam-1"]' in (client.get(names.alive("worker", "w1")) or b""),
             120, "the walk-past ends on the worker")  # fmt: skip
    wait_for(lambda: client.xlen(names.decide(0)) == 0, 30, "every message handled")
    alerts, metrics = wait_for(lambda: (r := _read(postgres_url, ref))[1] and r, 30, "metrics")
    seen, passers = walked_past(truth)
    assert {a.subject for a in alerts} == seen and len(alerts) == len(seen), procs.log("matcher")
    relay.stop()
    events = [heard.get_nowait() for _ in range(heard.qsize())]
    assert {e.alert.id for e in events if e.kind == "raised"} == {a.id for a in alerts}
    (counted,) = metrics
    assert counted.faces_seen >= len(seen) + passers and counted.frames_processed > 0
    (started,) = [e for e in _deployment(postgres_url, ref).live_events if e.kind.startswith("cam")]
    assert (started.kind, started.by) == ("cameras started", gold)
    assert started.reason == f"{CAMERA} on {video}; threshold 0.45"
