"""How long a failure lasts in distributed mode: a killed worker's camera running again on
another worker, and a killed matcher's partition held again by another matcher, in seconds.

    python bench/distributed_failover.py [--runs 5]

Each run starts one matcher and two workers on the walk-past (looped), kills (SIGKILL) the
worker running the camera and times until the other worker reports it running; then starts a
second matcher, kills the one holding the partition and times until the survivor holds it.
Needs Redis on 127.0.0.1:6379 and OPENLFR_DATA; the deployment is a test one on SQLite."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "distributed"))
sys.path.insert(0, str(ROOT / "bench"))
from processes import Procs, live_deployment  # noqa: E402

from distributed_throughput import REDIS  # noqa: E402
from openlfr.biometrics.engine import FaceEngine  # noqa: E402
from openlfr.distributed.broker import Names, new_broker_key  # noqa: E402
from openlfr.eval.video import enrol, load_truth  # noqa: E402
from openlfr.store.vault import new_master_key  # noqa: E402


def until(condition: Callable[[], object], timeout: float = 90.0) -> float:
    """Seconds until `condition()` holds (polled every 50 ms)."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise TimeoutError("the failover did not happen")
        time.sleep(0.05)
    return time.monotonic() - began


def runs_camera(client: redis.Redis, names: Names, worker: str) -> bool:
    raw = client.get(names.alive("worker", worker))
    return raw is not None and "cam-1" in json.loads(raw).get("cameras", [])


def one_run(work: Path, video: Path, npz: Path) -> dict[str, float]:
    url = f"sqlite:///{work / f'failover-{uuid.uuid4().hex[:6]}.db'}"
    ref = live_deployment(url, ["cam-1"])
    namespace = f"openlfr-bench-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ) | {
        "OPENLFR_BROKER_KEY": new_broker_key(),
        "OPENLFR_VAULT_KEY": new_master_key(),
        "OPENLFR_DATABASE_URL": url,
    }
    client, names = redis.Redis.from_url(REDIS), Names(namespace, ref)
    procs = Procs(REDIS, namespace, work, env)
    try:
        matchers = {"m1": procs.matcher(ref, "m1", npz, f"cam-1={video}")}
        first = procs.worker(ref, "w1", "--loop")
        until(lambda: runs_camera(client, names, "w1"))
        procs.worker(ref, "w2", "--loop")
        until(lambda: client.exists(names.alive("worker", "w2")))
        first.send_signal(signal.SIGKILL)
        worker_s = until(lambda: runs_camera(client, names, "w2"))
        matchers["m2"] = procs.matcher(ref, "m2", npz)
        until(lambda: client.exists(names.alive("matcher", "m2")))
        holder = client.get(names.lease("0")).decode()
        matchers[holder].send_signal(signal.SIGKILL)
        survivor = ({"m1", "m2"} - {holder}).pop()
        matcher_s = until(lambda: client.get(names.lease("0")) == survivor.encode())
        return {"worker_failover_s": round(worker_s, 2), "matcher_failover_s": round(matcher_s, 2)}
    finally:
        procs.stop()
        for key in client.scan_iter(match=f"{namespace}:*"):
            client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = Path(os.environ.get("OPENLFR_DATA", ROOT.parent / "shared" / "data"))
    truth = load_truth(data / "walkpast-dev" / "truth.json")
    results = []
    with tempfile.TemporaryDirectory(prefix="openlfr-bench-") as tmp:
        watchlist, _ = enrol(truth.watchlist, FaceEngine())
        npz = Path(tmp) / "watchlist.npz"
        watchlist.index.save(npz)
        for _ in range(args.runs):
            result = one_run(Path(tmp), truth.video, npz)
            print(json.dumps(result), flush=True)
            results.append(result)
    for name in ("worker_failover_s", "matcher_failover_s"):
        values = [r[name] for r in results]
        summary = {"median": float(np.median(values)), "max": max(values)}
        print(json.dumps({name: summary}))


if __name__ == "__main__":
    main()
