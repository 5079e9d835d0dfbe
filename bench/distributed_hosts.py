"""A camera worker on another host: a network namespace of its own (its own address, no view of
this machine's localhost, so no database or Redis but the broker it is given), joined to the
central side by a virtual Ethernet link. The central matcher and Redis stay here; the worker
plays the walk-past (every frame) and the alerts and camera metrics land in the central database.

    sudo python bench/distributed_hosts.py

Needs root (ip netns, from iproute2), redis-server and OPENLFR_DATA. Removes the namespace, the
link and its Redis when done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "distributed")]
from processes import MATCHER_PROC, live_deployment, stored  # noqa: E402

from openlfr.biometrics.engine import FaceEngine  # noqa: E402
from openlfr.distributed.broker import Names, new_broker_key  # noqa: E402
from openlfr.eval.video import enrol, load_truth  # noqa: E402
from openlfr.services.alerts import camera_metrics, list_alerts  # noqa: E402
from openlfr.store.vault import new_master_key  # noqa: E402

HOST, CENTRAL, VAN = "lfr-van1", "10.77.0.1", "10.77.0.2"
PASSWORD = uuid.uuid4().hex  # Redis off loopback needs one (and should have an ACL user)
BROKER = f"redis://:{PASSWORD}@{CENTRAL}:6390/0"


def sh(*args: str) -> None:
    subprocess.run(args, check=True)


def link_up() -> None:
    sh("ip", "netns", "add", HOST)
    sh("ip", "link", "add", "veth-central", "type", "veth", "peer", "name", "veth-van")
    sh("ip", "link", "set", "veth-van", "netns", HOST)
    sh("ip", "addr", "add", f"{CENTRAL}/24", "dev", "veth-central")
    sh("ip", "link", "set", "veth-central", "up")
    sh("ip", "netns", "exec", HOST, "ip", "addr", "add", f"{VAN}/24", "dev", "veth-van")
    sh("ip", "netns", "exec", HOST, "ip", "link", "set", "veth-van", "up")
    sh("ip", "netns", "exec", HOST, "ip", "link", "set", "lo", "up")


def link_down() -> None:
    subprocess.run(["ip", "netns", "del", HOST], check=False)
    subprocess.run(["ip", "link", "del", "veth-central"], check=False, capture_output=True)


def main() -> None:
    data = Path(os.environ.get("OPENLFR_DATA", ROOT.parent / "shared" / "data"))
    truth = load_truth(data / "walkpast-dev" / "truth.json")
    work = Path(tempfile.mkdtemp(prefix="openlfr-hosts-"))
    watchlist, _ = enrol(truth.watchlist, FaceEngine())
    npz = work / "watchlist.npz"
    watchlist.index.save(npz)
    url = f"sqlite:///{work / 'central.db'}"
    ref, namespace = live_deployment(url, ["cam-1"]), f"openlfr-hosts-{uuid.uuid4().hex[:6]}"
    keys = {"OPENLFR_BROKER_KEY": new_broker_key(), "PYTHONPATH": str(ROOT / "tests")}
    central = dict(os.environ) | keys
    central |= {"OPENLFR_VAULT_KEY": new_master_key(), "OPENLFR_DATABASE_URL": url}
    van = dict(os.environ) | keys  # no database, no vault key
    link_up()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        redis_args = ["--port", "6390", "--bind", CENTRAL, "--requirepass", PASSWORD]
        redis_args += ["--save", "", "--appendonly", "no"]
        procs.append(subprocess.Popen(["redis-server", *redis_args], stdout=subprocess.DEVNULL))
        time.sleep(0.5)
        matcher = [str(MATCHER_PROC), BROKER, namespace, ref, "m1", str(npz), "1"]
        matcher.append(f"cam-1={truth.video}")
        procs.append(subprocess.Popen([sys.executable, *matcher], env=central))
        worker = ["-m", "openlfr", "worker", "--deployment", ref, "--broker", BROKER]
        worker += ["--namespace", namespace, "--id", "van1", "--pacing", "video"]
        procs.append(
            subprocess.Popen(["ip", "netns", "exec", HOST, sys.executable, *worker], env=van)
        )
        client, names, began = redis.Redis.from_url(BROKER), Names(namespace, ref), time.time()
        while time.time() - began < 300:
            raw = client.get(names.alive("worker", "van1"))
            if raw and "cam-1" in json.loads(raw).get("ended", []):
                break
            time.sleep(1)
        time.sleep(5)  # the last metrics and crops through the broker
        alerts = stored(url, lambda uow: list_alerts(uow, ref))
        (metrics,) = stored(url, lambda uow: camera_metrics(uow, ref))
        listed = sorted({a.subject for a in truth.appearances if a.subject})
        print(json.dumps({
            "seconds": round(time.time() - began, 1),
            "alerted": sorted(a.subject for a in alerts),
            "walked_past_watchlisted": listed,
            "frames_processed": metrics.frames_processed,
            "faces_seen": metrics.faces_seen,
        }))  # fmt: skip
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(30)
        link_down()


if __name__ == "__main__":
    main()
