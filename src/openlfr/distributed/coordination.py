"""Who is alive, who holds what, and which worker runs which camera: Redis keys with a TTL,
no cluster manager.

Workers and matchers heartbeat a key that expires after `ttl` seconds. One matcher at a time
holds the coordinator lease and, every second, asks the run gate for each camera (so the
deployment's state reaches every host) and moves the cameras of workers whose heartbeat has
expired to the least loaded live ones. Workers poll their assignment."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import redis

from openlfr.distributed.broker import Names
from openlfr.domain.deployment import Deployment
from openlfr.domain.errors import RunRefused
from openlfr.domain.run_gate import RunPermit
from openlfr.live.gate import DeploymentGate, Gate

log = logging.getLogger(__name__)

LIVE, PAUSED = "live", "paused"
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


def beat(
    client: redis.Redis, names: Names, role: str, member: str, info: dict[str, Any], ttl: float
) -> None:
    client.set(names.alive(role, member), json.dumps(info), px=int(ttl * 1000))


def alive(client: redis.Redis, names: Names, role: str) -> dict[str, dict[str, Any]]:
    """Members whose heartbeat has not expired, with what they last reported."""
    members: dict[str, dict[str, Any]] = {}
    for key in client.scan_iter(match=names.alive_pattern(role), count=500):
        raw = client.get(key)
        if raw is not None:
            members[key.decode().rsplit(":", 2)[-2]] = json.loads(raw)
    return members


def camera_report(client: redis.Redis, names: Names) -> dict[str, str]:
    """Where each registered camera is, in words for the console: the run gate's stop, the
    worker running it (and its frames), or what it waits for."""
    workers = alive(client, names, "worker")
    assignment = {k.decode(): v.decode() for k, v in client.hgetall(names.assignment).items()}
    states = {k.decode(): v.decode() for k, v in client.hgetall(names.state).items()}
    report: dict[str, str] = {}
    for camera in sorted(c.decode() for c in client.hkeys(names.cameras)):
        state, worker = states.get(camera, ""), assignment.get(camera)
        info = workers.get(worker or "", {})
        if state.startswith("stopped"):
            report[camera] = state
        elif worker is None or not info:
            report[camera] = "waiting for a live worker"
        elif camera in info.get("cameras", []):
            frames = info.get("frames", {}).get(camera, 0)
            held = ", held: the deployment is paused" if state == PAUSED else ""
            report[camera] = f"running on worker {worker} ({frames:,} frames){held}"
        elif camera in info.get("ended", []):
            report[camera] = f"its source ended on worker {worker}"
        else:
            report[camera] = f"starting on worker {worker}"
    return report


class Leases:
    """Named leases held by one member at a time, lost when not renewed within `ttl`."""

    def __init__(self, client: redis.Redis, names: Names, member: str, ttl: float) -> None:
        self.client, self.names, self.member, self.ttl = client, names, member, ttl
        self._renew = client.register_script(_RENEW)

    def hold(self, name: str) -> bool:
        """Renew the lease if it is ours, else take it if it is free."""
        key, ms = self.names.lease(name), int(self.ttl * 1000)
        if self._renew(keys=[key], args=[self.member, ms]):
            return True
        return bool(self.client.set(key, self.member, nx=True, px=ms))

    def held(self, name: str) -> bool:
        return bool(self.client.get(self.names.lease(name)) == self.member.encode())

    def release(self, name: str) -> None:
        if self.held(name):
            self.client.delete(self.names.lease(name))


class Coordinator:
    """The run gate asked centrally for every camera, and cameras kept on live workers. The
    deployment is loaded once per tick for all its cameras (a fleet of 200 cameras is one
    query a second, not 200)."""

    def __init__(
        self,
        client: redis.Redis,
        names: Names,
        load: Callable[[], Deployment],
        snapshot_hash: str,
        threshold: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.client, self.names, self.load, self.clock = client, names, load, clock
        self.snapshot_hash, self.threshold = snapshot_hash, threshold
        self._permits: dict[str, RunPermit] = {}

    def _gate(self) -> Gate:
        """The run gate on the deployment as stored now."""
        deployment = self.load()
        return DeploymentGate(lambda: deployment)

    def admit(self, cameras: dict[str, str]) -> None:
        """Ask the gate for `cameras` and every camera already registered before serving:
        RunRefused (a threshold below the approved one, a camera or snapshot not authorised,
        ...) starts nothing, as the embedded engine's start does. A paused deployment is
        admitted and waits."""
        registered = {c.decode() for c in self.client.hkeys(self.names.cameras)}
        gate = self._gate()
        for camera in sorted(registered | set(cameras)):
            gate.check(camera, self.snapshot_hash, self.threshold, self.clock())

    def tick(self) -> None:
        cameras = [c.decode() for c in self.client.hkeys(self.names.cameras)]
        try:
            gate: Gate | None = self._gate()
        except Exception:  # the database is unreachable: each last permit holds until it ends
            log.warning("the run gate could not be asked", exc_info=True)
            gate = None
        states = {camera: self._ask(gate, camera) for camera in cameras}
        if states:
            self.client.hset(self.names.state, mapping=states)
        refused = {
            key.decode().rsplit(":", 1)[-1]
            for key in self.client.scan_iter(match=self.names.refused("*"))
        }
        workers = set(alive(self.client, self.names, "worker")) - refused
        assignment = {
            k.decode(): v.decode() for k, v in self.client.hgetall(self.names.assignment).items()
        }
        for gone in set(assignment.values()) - workers:
            self.client.delete(self.names.requests(gone))
        load = Counter({worker: 0 for worker in workers})
        load.update(w for c, w in assignment.items() if w in workers and c in states)
        for camera, state in states.items():
            held_by = assignment.get(camera)
            if state.startswith("stopped"):
                self.client.hdel(self.names.assignment, camera)
            elif (held_by is None or held_by not in workers) and workers:
                target = min(sorted(workers), key=lambda w: load[w])
                load[target] += 1
                self.client.hset(self.names.assignment, camera, target)
                log.info("camera %s assigned to worker %s (was %s)", camera, target, held_by)

    def _ask(self, gate: Gate | None, camera: str) -> str:
        now = self.clock()
        if gate is None:
            last = self._permits.get(camera)
            return LIVE if last is not None and now < last.until else PAUSED
        try:
            permit = gate.check(camera, self.snapshot_hash, self.threshold, now)
        except RunRefused as refusal:
            self._permits.pop(camera, None)
            return f"stopped: {refusal.reason}"
        if permit is None:
            return PAUSED
        self._permits[camera] = permit
        return LIVE


class AssignmentGate:
    """A worker's run gate: the central decision for the camera, and the camera still ours."""

    def __init__(self, client: redis.Redis, names: Names, worker: str, hold: float) -> None:
        self.client, self.names, self.worker, self.hold = client, names, worker, hold

    def check(
        self, camera: str, snapshot_hash: str, threshold: float, now: datetime
    ) -> RunPermit | None:
        """None (hold: no faces taken) while the broker cannot be asked."""
        try:
            holder = self.client.hget(self.names.assignment, camera)
            state = (self.client.hget(self.names.state, camera) or b"").decode()
        except redis.RedisError:
            log.warning("camera %s held: the broker cannot be asked", camera)
            return None
        if holder is None or holder.decode() != self.worker:
            raise RunRefused(f"camera {camera} is no longer assigned to worker {self.worker}")
        if state.startswith("stopped"):
            raise RunRefused(state)
        if state != LIVE:
            return None
        return RunPermit(
            deployment=self.names.deployment,
            camera_id=camera,
            snapshot_hash=snapshot_hash,
            threshold=threshold,
            until=now + timedelta(seconds=self.hold),
        )
