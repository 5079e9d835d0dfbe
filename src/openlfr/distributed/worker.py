"""`openlfr worker`: the camera stages on any host, deciding through the broker.

Each assigned camera runs the same `LiveEngine`/`CameraPipeline` as the embedded mode; only its
decider (`BrokerMatcher`: publish the template, receive decisions later) and its desk
(`CropCourier`: send a matched track's best shot to the matcher) differ. Track ids on the wire
carry the camera run (`cam-1/7@3fa2c1d0`), so a camera restarted elsewhere never reuses one.
The operator preview stays here; no frame leaves the worker."""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import redis

from openlfr.biometrics.index import TemplateIndex
from openlfr.distributed.broker import BrokerKey, BrokerRefused, Names
from openlfr.distributed.coordination import LIVE, AssignmentGate, beat
from openlfr.distributed.status_server import decision_lag
from openlfr.distributed.wire import Publisher, match_from
from openlfr.domain.metrics import CameraMetrics
from openlfr.live.desk import Offer
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.matcher import FrozenWatchlist, Match, TrackTemplate
from openlfr.live.privacy import wipe
from openlfr.live.sources import open_source
from openlfr.live.telemetry import process_telemetry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraLink:
    """One run of one camera on this worker: its wire track ids and its decisions inbox."""

    camera: str
    publisher: Publisher
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    inbox: queue.SimpleQueue[Match] = field(default_factory=queue.SimpleQueue)

    def wire(self, track: str) -> str:
        return f"{track}@{self.run}"

    def local(self, match: Match) -> Match | None:
        track, _, run = match.track.rpartition("@")
        if run != self.run:
            return None  # a decision for an earlier run of this camera
        return Match(track, match.subject, match.score, match.candidates)


class BrokerMatcher:
    """The pipeline's decider on a worker: templates go out (and are wiped), decisions come back
    as crop requests. The decision itself is the matcher service's `Matcher`."""

    def __init__(self, link: CameraLink, hold_seconds: float) -> None:
        self.link, self.hold_seconds = link, hold_seconds

    def consider(self, message: TrackTemplate) -> Match | None:
        self.link.publisher.template(
            self.link.camera,
            self.link.wire(message.track),
            message.template,
            message.at,
            message.quality,
        )
        wipe(message.template)
        return None

    def track_ended(self, track: str) -> Match | None:
        self.link.publisher.ended(self.link.camera, self.link.wire(track))
        return None

    def forget(self, track: str) -> None:
        """The matcher service forgets a decided track itself."""

    def decided(self) -> list[Match]:
        matches: list[Match] = []
        while not self.link.inbox.empty():
            match = self.link.local(self.link.inbox.get_nowait())
            if match is not None:
                matches.append(match)
        return matches


class CropCourier:
    """The pipeline's desk on a worker: a matched track's best shot goes to the matchers (sealed);
    the alert is raised there, so there is none to return here."""

    def __init__(self, link: CameraLink) -> None:
        self.link = link

    def offer(self, offer: Offer) -> None:
        wired = Match(
            self.link.wire(offer.match.track),
            offer.match.subject,
            offer.match.score,
            offer.match.candidates,
        )
        self.link.publisher.crop(replace(offer, match=wired))


class MetricsCourier:
    """The engine's metrics sink on a worker: a camera run's counters go to the matchers, which
    keep them with the deployment (a worker has no database)."""

    def __init__(self, link: CameraLink) -> None:
        self.link = link

    def record(self, metrics: CameraMetrics) -> None:
        self.link.publisher.metrics(metrics)


class Worker:
    def __init__(
        self,
        client: redis.Redis,
        names: Names,
        key: BrokerKey,
        settings: EngineSettings,
        worker_id: str | None = None,
        hold_seconds: float = 10.0,
        ttl: float = 3.0,
        loop: bool = False,
    ) -> None:
        self.client, self.names, self.key, self.settings = client, names, key, settings
        self.id = worker_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:6]}"
        self.hold_seconds, self.ttl, self.loop = hold_seconds, ttl, loop
        self.engines: dict[str, tuple[LiveEngine, CameraLink]] = {}
        self.ended: set[str] = set()
        self._stop = threading.Event()
        self._turned_at = float("-inf")
        """Monotonic time the run loop last reached the broker (for /healthz)."""

    def health(self) -> dict[str, object]:
        """ok while the run loop reaches the broker; what `/healthz` shows (no camera source,
        no reference)."""
        fresh = time.monotonic() - self._turned_at <= 3 * self.ttl
        running = sum(1 for engine, _ in self.engines.values() if not engine.finished)
        return {"status": "ok" if fresh else "failing", "cameras_running": running}

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Heartbeat, follow the assignment, answer crop requests; raises BrokerRefused when
        the matchers refuse this worker's messages (a wrong broker key)."""
        config = self._config()
        self._watch(int(config.get("partitions", "1")))
        inbox = threading.Thread(target=self._answer_requests, daemon=True, name="requests")
        inbox.start()
        try:
            while not self._stop.is_set():
                try:
                    self._beat()
                    if self.client.exists(self.names.refused(self.id)):
                        raise BrokerRefused(
                            f"the matchers refused worker {self.id}'s messages: wrong broker key"
                        )
                    self._follow(config)
                    self._turned_at = time.monotonic()
                except redis.RedisError:  # its cameras hold; it rejoins when the broker is back
                    log.warning("worker %s cannot reach the broker; retrying", self.id)
                self._stop.wait(min(1.0, self.ttl / 3))
        finally:
            self._stop.set()
            for engine, _ in self.engines.values():
                engine.stop("the worker is stopping")
            for engine, _ in self.engines.values():
                engine.join()
            self.client.delete(self.names.alive("worker", self.id))
            process_telemetry().unwatch(f"worker {self.id}")

    def _watch(self, partitions: int) -> None:
        """Queue depths and broker lag, read at each scrape of /metrics."""
        telemetry, owner = process_telemetry(), f"worker {self.id}"
        telemetry.watch_queues(
            owner,
            lambda: {f"decisions {c}": link.inbox.qsize() for c, (_, link) in self.engines.items()},
        )
        telemetry.watch_broker(owner, lambda: decision_lag(self.client, self.names, partitions))

    def _config(self) -> dict[str, str]:
        while not self._stop.is_set():
            raw = self.client.hgetall(self.names.config)
            if raw:
                return {k.decode(): v.decode() for k, v in raw.items()}
            self._stop.wait(0.5)
        return {}

    def _beat(self) -> None:
        running = sorted(c for c, (e, _) in self.engines.items() if not e.finished)
        info: dict[str, Any] = {
            "host": socket.gethostname(),
            "cameras": running,
            "ended": sorted(self.ended),
            "frames": {c: e.metrics[c].frames_processed for c, (e, _) in self.engines.items()},
        }
        beat(self.client, self.names, "worker", self.id, info, self.ttl)

    def _follow(self, config: dict[str, str]) -> None:
        assignment = self.client.hgetall(self.names.assignment)
        mine = {c.decode() for c, w in assignment.items() if w.decode() == self.id}
        for camera in list(self.engines):
            engine, _ = self.engines[camera]
            if camera not in mine:
                engine.stop(f"camera {camera} moved to another worker")
            if engine.finished:
                engine.join()
                del self.engines[camera]
                if camera in mine and not engine.errors and not engine.stop_reason:
                    self.ended.add(camera)
                    log.info("camera %s: its source ended", camera)
        states = self.client.hgetall(self.names.state)
        for camera in sorted(mine - set(self.engines) - self.ended):
            if states.get(camera.encode(), b"").decode() == LIVE:
                self._start(camera, config)

    def _start(self, camera: str, config: dict[str, str]) -> None:
        spec = self.client.hget(self.names.cameras, camera)
        if spec is None:
            return
        publisher = Publisher(self.client, self.names, self.key, self.id, int(config["partitions"]))
        link = CameraLink(camera, publisher)
        engine = LiveEngine(
            {camera: open_source(spec.decode(), self.settings.pacing, self.loop)},
            FrozenWatchlist(TemplateIndex([], np.zeros((0, 1), np.float32)), config["snapshot"]),
            CropCourier(link),
            AssignmentGate(self.client, self.names, self.id, self.settings.poll_seconds * 2),
            self.settings,
            datetime.now(UTC),
            metrics_sink=MetricsCourier(link),
            decider=lambda _: BrokerMatcher(link, self.hold_seconds),
        )
        engine.start()
        self.engines[camera] = (engine, link)
        log.info("camera %s started on worker %s (run %s)", camera, self.id, link.run)

    def _answer_requests(self) -> None:
        """Route each crop request to its camera's decisions inbox, deleting it at once."""
        stream, last = self.names.requests(self.id), "0"
        while not self._stop.is_set():
            try:
                replies = self.client.xread({stream: last}, count=100, block=500)
            except redis.RedisError:
                log.warning("crop requests unreadable; retrying", exc_info=True)
                time.sleep(1.0)
                continue
            for _, entries in replies:
                for entry_id, fields in entries:
                    last = entry_id
                    self.client.xdel(stream, entry_id)
                    self._route(stream, fields)

    def _route(self, stream: str, fields: dict[bytes, bytes]) -> None:
        try:
            sealed = self.key.open(stream, fields)
        except BrokerRefused:
            log.warning("a crop request failed authentication and was dropped")
            return
        running = self.engines.get(sealed.header["camera"])
        if running is not None:
            running[1].inbox.put(match_from(sealed.header["match"]))
