"""`openlfr matcher`: the frozen watchlist in memory, the decision, the alerts in PostgreSQL.

Each decision partition (a Redis stream) is consumed by the matcher holding its lease, through
the consumer group, so a track's messages reach one `Matcher` in order; a matcher that takes
over a partition claims what its predecessor left pending (XAUTOCLAIM) and reloads the tracks'
evidence (scores and subject references, never a template) from their checkpoints. Each
message is acknowledged and deleted (XACK + XDEL) as soon as it has been handled; a template is
wiped right after its comparison."""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import redis

from openlfr.distributed.alert_feed import BroadcastHub
from openlfr.distributed.broker import GROUP, BrokerError, BrokerKey, BrokerRefused, Names
from openlfr.distributed.coordination import LIVE, Coordinator, Leases, alive, beat
from openlfr.distributed.episodes import SharedEpisodes
from openlfr.distributed.wire import (
    CROP,
    ENDED,
    METRICS,
    TEMPLATE,
    crop_from,
    send_request,
    template_from,
)
from openlfr.domain.alerts import Candidate
from openlfr.domain.deployment import Deployment, DeploymentId
from openlfr.domain.metrics import CameraMetrics
from openlfr.live.decision import DecisionRule
from openlfr.live.desk import AlertDesk, AlertSink, Offer
from openlfr.live.engine import MetricsSink
from openlfr.live.matcher import Evidence, Match, Matcher, TrackTemplate, Watchlist
from openlfr.live.privacy import wipe

log = logging.getLogger(__name__)

#: Evidence checkpoints and decided-track guards outlive any track by far, then expire.
TRACK_KEY_SECONDS = 600
REFUSAL_SECONDS = 3600


@dataclass(frozen=True)
class Setup:
    """What the broker must hold for a deployment to run: the decision streams' consumer
    groups, the config the workers read, the cameras this matcher registered. Written at start
    and again after a Redis restart, which (without persistence) forgets all of it."""

    partitions: int
    snapshot: str
    threshold: float
    cameras: dict[str, str] = field(default_factory=dict)
    """camera -> source as the workers see it (only the matcher that started them has these)."""

    def apply(self, client: redis.Redis, names: Names) -> None:
        """BrokerError if the deployment already runs with another config."""
        for partition in range(self.partitions):
            try:
                client.xgroup_create(names.decide(partition), GROUP, "0", mkstream=True)
            except redis.ResponseError as error:
                if "BUSYGROUP" not in str(error):
                    raise
        wanted = {
            "partitions": str(self.partitions),
            "snapshot": self.snapshot,
            "threshold": str(self.threshold),
        }
        for name, value in wanted.items():
            client.hsetnx(names.config, name, value)
        stored = {k.decode(): v.decode() for k, v in client.hgetall(names.config).items()}
        if stored != wanted:
            raise BrokerError(f"this deployment runs with {stored}; a matcher must use the same")
        for camera, source in self.cameras.items():
            client.hsetnx(names.cameras, camera, source)


class MatcherService:
    def __init__(
        self,
        client: redis.Redis,
        names: Names,
        key: BrokerKey,
        member: str,
        matcher: Matcher,
        desk: AlertDesk,
        coordinator: Coordinator,
        metrics: MetricsSink,
        setup: Setup,
        ttl: float = 3.0,
    ) -> None:
        self.client, self.names, self.key, self.member = client, names, key, member
        self.matcher, self.desk, self.coordinator = matcher, desk, coordinator
        self.metrics, self.setup = metrics, setup
        self.partitions, self.ttl = setup.partitions, ttl
        self.leases = Leases(client, names, member, ttl)
        self.owned: set[int] = set()
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Serve until stopped. A broker that goes away (or comes back empty after a restart)
        is waited for and set up again; a config conflict (BrokerError) ends the service."""
        ready, next_tick = False, 0.0
        while not self._stop.is_set():
            try:
                if not ready:
                    self.setup.apply(self.client, self.names)
                    ready = True
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + min(1.0, self.ttl / 3)
                    self._housekeep()
                self._consume()
            except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError) as error:
                log.warning("the broker failed (%s); setting up again when it answers", error)
                ready = False
                self._stop.wait(1.0)
        self._leave()

    def _leave(self) -> None:
        try:
            for partition in self.owned:
                self.leases.release(str(partition))
            self.leases.release("coordinator")
            self.client.delete(self.names.alive("matcher", self.member))
        except redis.RedisError:  # the leases and heartbeat expire by themselves
            log.warning("matcher %s left without releasing its leases", self.member)

    def _housekeep(self) -> None:
        beat(
            self.client,
            self.names,
            "matcher",
            self.member,
            {"partitions": sorted(self.owned)},
            self.ttl,
        )
        if self.leases.hold("coordinator"):
            self.coordinator.tick()
        fair = math.ceil(self.partitions / max(1, len(alive(self.client, self.names, "matcher"))))
        for partition in range(self.partitions):
            mine = partition in self.owned
            if mine and len(self.owned) > fair:
                self.leases.release(str(partition))
                self.owned.discard(partition)
            elif (mine or len(self.owned) < fair) and self.leases.hold(str(partition)):
                self.owned.add(partition)
                self._claim(partition)
            else:
                self.owned.discard(partition)

    def _claim(self, partition: int) -> None:
        """Messages a dead (or failed) consumer left pending for longer than a lease."""
        stream = self.names.decide(partition)
        _, entries, _ = self.client.xautoclaim(
            stream, GROUP, self.member, int(self.ttl * 1000), "0-0", count=500
        )
        for entry_id, fields in entries:
            if fields:
                self._handle(stream, entry_id, fields)

    def _consume(self) -> None:
        if not self.owned:
            self._stop.wait(0.2)
            return
        streams = {self.names.decide(p): ">" for p in sorted(self.owned)}
        for stream, entries in self.client.xreadgroup(GROUP, self.member, streams, 64, 100):
            for entry_id, fields in entries:
                self._handle(stream.decode(), entry_id, fields)

    def _handle(self, stream: str, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        try:
            sealed = self.key.open(stream, fields)
            if sealed.kind == TEMPLATE:
                self._template(sealed.header, template_from(sealed))
            elif sealed.kind == ENDED:
                self._ended(sealed.header)
            elif sealed.kind == CROP:
                self._crop(crop_from(sealed))
            elif sealed.kind == METRICS:
                self.metrics.record(CameraMetrics.model_validate(sealed.header["metrics"]))
        except BrokerRefused as refusal:
            self._refuse(fields.get(b"s", b"?").decode(), refusal)
        except Exception:  # e.g. PostgreSQL unavailable: left pending, claimed again later
            log.exception("message %s of %s not handled; it will be retried", entry_id, stream)
            return
        with self.client.pipeline() as pipe:
            pipe.xack(stream, GROUP, entry_id).xdel(stream, entry_id).execute()

    def _template(self, header: dict[str, Any], template: np.ndarray) -> None:
        track, camera = header["track"], header["camera"]
        with self.client.pipeline(transaction=False) as pipe:  # one round trip per template
            state, decided = (
                pipe.hget(self.names.state, camera).exists(self.names.decided(track)).execute()
            )
        if (state or b"").decode() != LIVE or decided:
            wipe(template)
            return
        self._restore(track)
        shot = (float(header.get("at", 0.0)), float(header.get("quality", 1.0)))
        match = self.matcher.consider(TrackTemplate(camera, track, template, *shot))
        self._count("compared")
        if match is not None:
            self._decide(match, camera, header["worker"])
            return
        evidence = self.matcher.evidence(track)
        if evidence is not None and evidence.scores:
            self.client.set(self.names.evidence(track), _dump(evidence), ex=TRACK_KEY_SECONDS)

    def _ended(self, header: dict[str, Any]) -> None:
        track = header["track"]
        self._restore(track)
        match = self.matcher.track_ended(track)
        self.client.delete(self.names.evidence(track))
        if match is not None:
            self._decide(match, header["camera"], header["worker"])

    def _decide(self, match: Match, camera: str, worker: str) -> None:
        """Ask the worker for the best shot once per track (the request goes before the guard
        is set, so a crash in between asks twice, never not at all)."""
        self.matcher.forget(match.track)
        if not self.client.exists(self.names.decided(match.track)):
            send_request(self.client, self.names, self.key, self.member, worker, camera, match)
            self.client.set(self.names.decided(match.track), self.member, ex=TRACK_KEY_SECONDS)
            self._count("requested")
        self.client.delete(self.names.evidence(match.track))

    def _crop(self, offer: Offer) -> None:
        try:
            self.desk.offer(offer)
            self._count("alerts")
        finally:
            wipe(offer.shot.crop)

    def _restore(self, track: str) -> None:
        if self.matcher.evidence(track) is None:
            raw = self.client.get(self.names.evidence(track))
            if raw is not None:
                self.matcher.restore(track, _load(raw))

    def _refuse(self, worker: str, refusal: BrokerRefused) -> None:
        log.warning("refused: %s; worker %s is shut out", refusal, worker)
        self.client.set(self.names.refused(worker), self.member, ex=REFUSAL_SECONDS)
        self._count("refused")

    def _count(self, what: str) -> None:
        key = self.names.stats(self.member)
        self.client.pipeline().hincrby(key, what, 1).expire(key, 86400).execute()


def _dump(evidence: Evidence) -> str:
    candidates = {s: [[c.subject, c.score] for c in cs] for s, cs in evidence.candidates.items()}
    return json.dumps(
        {"scores": evidence.scores, "candidates": candidates, "worth": evidence.worth}
    )


def _load(raw: bytes) -> Evidence:
    data = json.loads(raw)
    candidates = {
        s: [Candidate(subject=c[0], score=c[1]) for c in cs] for s, cs in data["candidates"].items()
    }
    return Evidence(data["scores"], candidates, data.get("worth", {}))


def assemble(
    client: redis.Redis,
    names: Names,
    key: BrokerKey,
    member: str,
    deployment_id: DeploymentId,
    watchlist: Watchlist,
    threshold: float,
    load: Callable[[], Deployment],
    alerts: AlertSink,
    metrics: MetricsSink,
    clock: Callable[[], datetime],
    partitions: int = 1,
    cameras: dict[str, str] | None = None,
) -> MatcherService:
    """A matcher service with the embedded engine's decision logic: `Matcher`, `DecisionRule`,
    `AlertDesk`; `alerts` keeps the alerts (at most once each: a message may be delivered
    again), `metrics` the workers' camera counters, `load` reads the deployment for the run gate
    (all three wired by `openlfr.bootstrap`); `cameras` (camera -> source) are registered for
    the workers.
    RunRefused, before anything is written to the broker, if the gate refuses one of them or a
    camera already registered (as the embedded engine refuses to start)."""
    coordinator = Coordinator(client, names, load, watchlist.snapshot_hash, threshold, clock)
    setup = Setup(partitions, watchlist.snapshot_hash, threshold, cameras or {})
    coordinator.admit(setup.cameras)
    setup.apply(client, names)  # a config conflict fails here, before serving
    hub = BroadcastHub(client, names, key, member)  # the consoles hear of each alert
    desk = AlertDesk(deployment_id, alerts, hub, book=SharedEpisodes(client, names))
    matcher = Matcher(watchlist, threshold, DecisionRule())
    return MatcherService(client, names, key, member, matcher, desk, coordinator, metrics, setup)
