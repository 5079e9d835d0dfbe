"""Distributed throughput and latency: N worker processes on this machine, one matcher, Redis.

For 1, 2 and 4 workers: the same cameras (walk-past and crowd clips, looped, real-time pacing)
spread over the workers; reports frames processed per second over all cameras, the cameras
handled at half rate (12.5 processed fps each), and the end-to-end alert latency through the
broker in video seconds (LFR-VID-1: raised frame - first frame of the appearance).

    python bench/distributed_throughput.py --cameras 4 --seconds 20 [--workers 1 2 4]
        [--cpus-per-worker 0.4]

`--cpus-per-worker` confines each worker process to that share of a core (a CPU quota in its
own cgroup; needs root and a writable cgroup `cpu` controller), so that each worker stands in
for a camera host of its own: without it, one worker's camera threads already use every core
of a small machine and more processes only add contention.

Needs Redis on 127.0.0.1:6379 and OPENLFR_DATA; the deployment is a test one on SQLite."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "distributed")]
from processes import MATCHER_PROC, live_deployment, stored  # noqa: E402

from openlfr.biometrics.engine import FaceEngine  # noqa: E402
from openlfr.distributed.broker import Names, new_broker_key  # noqa: E402
from openlfr.eval.video import enrol, load_truth  # noqa: E402
from openlfr.services.alerts import list_alerts  # noqa: E402
from openlfr.store.vault import new_master_key  # noqa: E402

REDIS = "redis://127.0.0.1:6379/0"
HALF_RATE = 12.5
CGROUP_V1, CGROUP_V2 = Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def confine(pid: int, name: str, cpus: float) -> Path:
    """A cgroup of its own for `pid` with a quota of `cpus` cores (v1 `cpu` or v2 `cpu.max`)."""
    quota = int(cpus * PERIOD_US)
    if (CGROUP_V1 / "cpu.cfs_quota_us").exists():
        group = CGROUP_V1 / name
        group.mkdir(exist_ok=True)
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
    else:
        group = CGROUP_V2 / name
        group.mkdir(exist_ok=True)
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
    (group / "cgroup.procs").write_text(str(pid))
    return group


def release(group: Path) -> None:
    """Remove an emptied cgroup (its processes have exited)."""
    for _ in range(50):
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.1)


def run(workers: int, cameras: int, seconds: float, cpus: float, work: Path, data: Path) -> dict:
    truth = load_truth(data / "walkpast-dev" / "truth.json")
    sources = [truth.video, data / "video/crowd-1080p/crowd.mp4"]
    names_of = [f"cam-{i + 1}" for i in range(cameras)]
    url = f"sqlite:///{work / f'bench-{workers}.db'}"
    ref = live_deployment(url, names_of)
    watchlist, _ = enrol(truth.watchlist, FaceEngine())
    npz = work / "watchlist.npz"
    watchlist.index.save(npz)
    namespace = f"openlfr-bench-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ) | {
        "OPENLFR_BROKER_KEY": new_broker_key(),
        "OPENLFR_VAULT_KEY": new_master_key(),
        "OPENLFR_DATABASE_URL": url,
        "PYTHONPATH": str(ROOT / "tests"),  # the matcher process loads the test kit (govkit)
    }
    client, names = redis.Redis.from_url(REDIS), Names(namespace, ref)
    client.hset(names.cameras, mapping={c: str(sources[i % 2]) for i, c in enumerate(names_of)})
    logs = [(work / f"{workers}-{n}.log").open("wb") for n in range(workers + 1)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(MATCHER_PROC), REDIS, namespace, ref, "m1", str(npz), "1"],
            env=env, stdout=logs[0], stderr=subprocess.STDOUT,
        )
    ]  # fmt: skip
    groups: list[Path] = []
    for n in range(workers):
        args = ["-m", "openlfr", "worker", "--deployment", ref, "--loop"]
        args += ["--broker", REDIS, "--namespace", namespace, "--id", f"w{n + 1}"]
        proc = subprocess.Popen(
            [sys.executable, *args], env=env, stdout=logs[n + 1], stderr=subprocess.STDOUT
        )
        procs.append(proc)
        if cpus:
            groups.append(confine(proc.pid, f"{namespace}-w{n + 1}", cpus))
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(frames(client, names)) < cameras:
            time.sleep(0.5)
        time.sleep(2)
        before, began = sum(frames(client, names).values()), time.monotonic()
        time.sleep(seconds)
        processed = sum(frames(client, names).values()) - before
        elapsed = time.monotonic() - began
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
        for group in groups:
            release(group)
        for key in client.scan_iter(match=f"{namespace}:*"):
            client.delete(key)
    alerts = stored(url, lambda uow: list_alerts(uow, ref))
    fps = processed / elapsed
    found = latencies(alerts, truth)
    return {
        "workers": workers,
        "cameras": cameras,
        "cpus_per_worker": cpus or "unlimited",
        "processed_fps": round(fps, 1),
        "cameras_handled_at_half_rate": round(fps / HALF_RATE, 2),
        "latencies_s": found,
        "latency_p95_s": round(float(np.percentile(found, 95)), 2) if found else None,
    }


def frames(client: redis.Redis, names: Names) -> dict[str, int]:
    totals: dict[str, int] = {}
    for key in client.scan_iter(match=names.alive_pattern("worker")):
        raw = client.get(key)
        if raw:
            totals |= json.loads(raw).get("frames", {})
    return totals


def latencies(alerts: list, truth) -> list[float]:  # type: ignore[no-untyped-def]
    """Raised frame - first frame of the appearance it belongs to (walk-past cameras)."""
    found = []
    for alert in alerts:
        frame = alert.raised_at_frame % truth.frame_count
        for ap in truth.appearances:
            if ap.subject == alert.subject and ap.first_frame <= frame <= ap.last_frame + 50:
                found.append(round((frame - ap.first_frame) / truth.fps, 2))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--cameras", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--cpus-per-worker", type=float, default=0.0, help="0: no quota")
    args = parser.parse_args()
    data = Path(os.environ.get("OPENLFR_DATA", ROOT.parent / "shared" / "data"))
    with tempfile.TemporaryDirectory(prefix="openlfr-bench-") as tmp:
        for workers in args.workers:
            result = run(workers, args.cameras, args.seconds, args.cpus_per_worker, Path(tmp), data)
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
