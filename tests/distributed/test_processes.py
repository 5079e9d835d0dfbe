"""Workers and matchers as separate processes on real Redis and PostgreSQL: a dead worker's
camera moves, a dead matcher loses and duplicates no alert, one person seen by two matchers
pages once, strangers leave nothing in Redis, and a worker with the wrong key is refused."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import redis
from processes import Procs, live_deployment, stored

from brokers import RedisServer
from databases import PostgresServer
from openlfr.distributed.broker import Names, new_broker_key
from openlfr.services.alerts import camera_metrics, list_alerts
from timing import wait_for


def _client(procs: Procs) -> redis.Redis:
    return redis.Redis.from_url(procs.redis_url)


def _info(client: redis.Redis, names: Names, member: str, role: str = "worker") -> dict:
    """What a live member last reported in its heartbeat."""
    raw = client.get(names.alive(role, member))
    return json.loads(raw) if raw else {}


def _alerts(postgres_url: str, deployment: str) -> list:
    return stored(postgres_url, lambda uow: list_alerts(uow, deployment))


def _stats(client: redis.Redis, names: Names, member: str) -> dict[str, int]:
    return {k.decode(): int(v) for k, v in client.hgetall(names.stats(member)).items()}


def _decision_streams_empty(client: redis.Redis, names: Names) -> bool:
    keys = list(client.scan_iter(match=f"{names.base}:decide:*"))
    return all(client.xlen(k) == 0 and not client.xpending(k, "matchers")["pending"] for k in keys)


def test_a_dead_workers_camera_moves_to_another(
    procs: Procs, deployment: str, watchlist_file: Path, short_clip: Path
) -> None:
    client, names = _client(procs), Names(procs.namespace, deployment)
    procs.matcher(deployment, "m1", watchlist_file, f"cam-1={short_clip}")
    first = procs.worker(deployment, "w1", "--loop")
    wait_for(lambda: "cam-1" in _info(client, names, "w1").get("cameras", []), 60, "w1 runs cam-1")
    procs.worker(deployment, "w2", "--loop")
    wait_for(lambda: _info(client, names, "w2"), 30, "w2 heartbeats")
    first.send_signal(signal.SIGKILL)
    # The bound only keeps a broken build from hanging; how fast the camera moves is measured
    # in bench/distributed_failover.py, not asserted here.
    wait_for(lambda: "cam-1" in _info(client, names, "w2").get("cameras", []), 120, "cam-1 moves")
    assert client.hget(names.assignment, "cam-1") == b"w2"


def test_workers_and_matchers_carry_on_when_redis_restarts(
    procs: Procs,
    own_redis: RedisServer,
    deployment: str,
    watchlist_file: Path,
    short_clip: Path,
    tmp_path: Path,
) -> None:
    kit = Procs(own_redis.url, procs.namespace, tmp_path, procs.env)  # on a server of its own
    client, names = redis.Redis.from_url(own_redis.url), Names(kit.namespace, deployment)
    try:
        matcher = kit.matcher(deployment, "m1", watchlist_file, f"cam-1={short_clip}")
        worker = kit.worker(deployment, "w1", "--loop")
        runs = lambda: "cam-1" in _info(client, names, "w1").get("cameras", [])  # noqa: E731
        wait_for(runs, 60, "w1 runs cam-1")
        wait_for(lambda: _stats(client, names, "m1").get("compared"), 60, "templates compared")
        own_redis.restart()  # no persistence: streams, config, cameras, assignment all gone
        wait_for(runs, 60, "w1 runs cam-1 again")
        wait_for(lambda: _stats(client, names, "m1").get("compared"), 60, "compared again")
        assert matcher.poll() is None and worker.poll() is None, kit.log("m1") + kit.log("w1")
    finally:
        kit.stop()


def test_alerts_wait_for_postgresql_to_come_back(
    procs: Procs,
    own_postgres: PostgresServer,
    watchlist_file: Path,
    short_clip: Path,
    tmp_path: Path,
) -> None:
    url = own_postgres.url  # a server of the test's own, stopped while the clip plays
    deployment = live_deployment(url, ["cam-1"])
    env = procs.env | {"OPENLFR_DATABASE_URL": url}
    kit = Procs(procs.redis_url, procs.namespace, tmp_path, env)
    client, names = _client(procs), Names(procs.namespace, deployment)
    try:
        kit.matcher(deployment, "m1", watchlist_file, f"cam-1={short_clip}")
        wait_for(lambda: client.hget(names.state, "cam-1") == b"live", 60, "cam-1 permitted")
        own_postgres.stop()
        kit.worker(deployment, "w1")
        wait_for(lambda: "cam-1" in _info(client, names, "w1").get("ended", []), 90, "clip end")
        assert _stats(client, names, "m1").get("requested", 0) >= 2  # matched, not yet recorded
        assert _stats(client, names, "m1").get("alerts", 0) == 0
        own_postgres.start()
        wait_for(lambda: len(_alerts(url, deployment)) >= 2, 60, "alerts recorded")
        wait_for(lambda: _decision_streams_empty(client, names), 30, "every message handled")
        subjects = sorted(a.subject for a in _alerts(url, deployment))
        assert subjects == ["Ahmed_Chalabi", "Richard_Gere"], kit.log("m1")
    finally:
        kit.stop()


def test_a_dead_matcher_loses_no_alert_and_duplicates_none(
    procs: Procs, deployment: str, postgres_url: str, watchlist_file: Path, short_clip: Path
) -> None:
    client, names = _client(procs), Names(procs.namespace, deployment)
    matchers = {
        member: procs.matcher(deployment, member, watchlist_file, f"cam-1={short_clip}")
        for member in ("m1", "m2")
    }
    procs.worker(deployment, "w1")
    wait_for(lambda: _alerts(postgres_url, deployment), 90, "the first alert")
    holder = client.get(names.lease("0")).decode()
    matchers[holder].send_signal(signal.SIGKILL)
    survivor = ({"m1", "m2"} - {holder}).pop()
    wait_for(lambda: "cam-1" in _info(client, names, "w1").get("ended", []), 90, "clip end")
    wait_for(lambda: _decision_streams_empty(client, names), 30, "every message handled")
    subjects = sorted(a.subject for a in _alerts(postgres_url, deployment))
    assert subjects == ["Ahmed_Chalabi", "Richard_Gere"], procs.log("w1")
    assert _stats(client, names, survivor).get("alerts", 0) >= 1  # it took over mid-stream


def test_one_person_decided_by_two_matchers_raises_one_alert(
    procs: Procs,
    two_partition_deployment: str,
    postgres_url: str,
    watchlist_file: Path,
    short_clip: Path,
) -> None:
    deployment = two_partition_deployment
    client, names = _client(procs), Names(procs.namespace, deployment)
    cameras = (f"cam-1={short_clip}", f"cam-4={short_clip}")
    for member in ("m1", "m2"):
        procs.matcher(deployment, member, watchlist_file, *cameras, partitions=2)
    wait_for(
        lambda: all(len(_info(client, names, m, "matcher").get("partitions", [])) == 1
                    for m in ("m1", "m2")),
        30,
        "each matcher holds one partition",
    )  # fmt: skip
    procs.worker(deployment, "w1")
    wait_for(lambda: len(_info(client, names, "w1").get("ended", [])) == 2, 120, "both clips end")
    wait_for(lambda: _decision_streams_empty(client, names), 30, "every message handled")
    alerts = _alerts(postgres_url, deployment)
    assert sorted(a.subject for a in alerts) == ["Ahmed_Chalabi", "Richard_Gere"], procs.log("w1")
    for alert in alerts:  # the other camera's match joined the alert as a sighting
        assert {alert.camera, *(s.camera for s in alert.sightings)} == {"cam-1", "cam-4"}


def test_strangers_leave_no_template_in_redis(
    procs: Procs, deployment: str, data_dir: Path, watchlist_file: Path, postgres_url: str
) -> None:
    client, names = _client(procs), Names(procs.namespace, deployment)
    crowd = data_dir / "video/crowd-1080p/crowd.mp4"
    procs.matcher(deployment, "m1", watchlist_file, f"cam-1={crowd}")
    procs.worker(deployment, "w1", "--detect-side", "960")
    wait_for(lambda: "cam-1" in _info(client, names, "w1").get("ended", []), 90, "clip end")
    wait_for(lambda: _decision_streams_empty(client, names), 30, "every message handled")
    assert _stats(client, names, "m1").get("compared", 0) >= 5  # the crowd was searched
    assert not _alerts(postgres_url, deployment)
    (counted,) = stored(postgres_url, lambda uow: camera_metrics(uow, deployment))  # register
    assert counted.camera == "cam-1" and counted.frames_processed > 0 and counted.faces_seen >= 5
    procs.stop()
    kinds = {}
    for key in client.scan_iter(match=f"{procs.namespace}:*"):
        kind = client.type(key).decode()
        kinds[key.decode().removeprefix(names.base + ":")] = kind
        if kind == "stream":
            assert client.xlen(key) == 0, key
        elif kind == "string":
            assert len(client.get(key) or b"") < 200, key  # leases, heartbeats: no blobs
        elif kind == "hash":
            values = client.hgetall(key).values()
            assert all(len(v) < 300 for v in values), key  # config, cameras, counts
    assert not [k for k in kinds if k.startswith(("evidence:", "decided:"))], kinds
    assert {k for k, kind in kinds.items() if kind == "stream"} <= {"decide:0"}, kinds


def test_a_worker_with_the_wrong_key_is_refused(
    procs: Procs, deployment: str, postgres_url: str, watchlist_file: Path, short_clip: Path
) -> None:
    client, names = _client(procs), Names(procs.namespace, deployment)
    procs.matcher(deployment, "m1", watchlist_file, f"cam-1={short_clip}")
    impostor = procs.worker(deployment, "w1", OPENLFR_BROKER_KEY=new_broker_key())
    wait_for(lambda: impostor.poll() is not None, 90, "the worker refused")
    assert impostor.returncode == 3 and "wrong broker key" in procs.log("w1")
    assert _stats(client, names, "m1")["refused"] >= 1
    wait_for(lambda: _decision_streams_empty(client, names), 30, "refused messages deleted")
    assert not _alerts(postgres_url, deployment)
