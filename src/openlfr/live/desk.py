"""Where matches become alerts: one alert per person and episode, handed to a sink and pushed
to every listener at once.

The desk is shared by all cameras of a deployment, so the same subject seen again within the
episode window, here or on another camera, is added to the open alert instead of paging the
operator again. Where the open alerts are kept is its `EpisodeBook`: in memory for one process,
in Redis when several matchers share a deployment (`distributed.episodes`). Only matched faces
ever reach it."""

from __future__ import annotations

import json
import queue
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

import cv2

from openlfr.domain import alerts as rules
from openlfr.domain.alerts import EPISODE_WINDOW, Alert, Sighting
from openlfr.domain.deployment import DeploymentId
from openlfr.live.bestshot import BestShot
from openlfr.live.matcher import Match

ALERT_JPEG_QUALITY = 92


class AlertSink(Protocol):
    """Keeps alerts (the store's `services.alerts.StoreAlertSink`, or a JSONL file for eval)."""

    def raised(self, alert: Alert, image_jpeg: bytes) -> None: ...
    def sighted(self, alert: Alert, sighting: Sighting) -> None: ...


@dataclass(frozen=True)
class AlertEvent:
    """What listeners receive: the alert as data; the image is fetched (and audited) apart."""

    kind: Literal["raised", "sighted"]
    alert: Alert


class AlertHub:
    """In-process publish/subscribe: each subscriber gets its own queue (e.g. one per SSE
    connection); a slow subscriber's full queue drops its oldest event, never blocks the engine."""

    def __init__(self, maxsize: int = 100) -> None:
        self.maxsize = maxsize
        self._subscribers: list[queue.Queue[AlertEvent]] = []
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue[AlertEvent]:
        inbox: queue.Queue[AlertEvent] = queue.Queue(self.maxsize)
        with self._lock:
            self._subscribers.append(inbox)
        return inbox

    def unsubscribe(self, inbox: queue.Queue[AlertEvent]) -> None:
        with self._lock:
            self._subscribers.remove(inbox)

    def backlog(self) -> int:
        """Events waiting, over all subscribers (a listener that falls behind shows here)."""
        with self._lock:
            return sum(inbox.qsize() for inbox in self._subscribers)

    def publish(self, event: AlertEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for inbox in subscribers:
            while True:
                try:
                    inbox.put_nowait(event)
                    break
                except queue.Full:
                    inbox.get_nowait()


class JsonlAlertSink:
    """LFR-VID-1 alert records, one JSON object per line; images are not written."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def raised(self, alert: Alert, image_jpeg: bytes) -> None:
        record = {
            "subject": alert.subject,
            "score": round(alert.score, 4),
            "frame": alert.best_shot_frame,
            "emitted_at_frame": alert.raised_at_frame,
            "track": alert.track,
        }
        with self._lock:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()

    def sighted(self, alert: Alert, sighting: Sighting) -> None:
        """A further sighting is not a new alert in LFR-VID-1."""

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Offer:
    """A matched track's best shot, as the desk takes it (in one process, or through the
    broker from a camera worker)."""

    camera: str
    match: Match
    shot: BestShot
    shot_at: datetime
    now: datetime
    frame: int


class EpisodeBook(Protocol):
    """Each subject's latest alert, so a later sighting within the episode joins it."""

    def latest(self, subject: str) -> Alert | None: ...
    def keep(self, alert: Alert) -> None: ...
    def guard(self, subject: str) -> AbstractContextManager[object]:
        """Held while a subject's sighting is decided (one at a time across processes)."""
        ...


class LocalEpisodes:
    """One process's book: the desk's own lock is guard enough."""

    def __init__(self) -> None:
        self._latest: dict[str, Alert] = {}

    def latest(self, subject: str) -> Alert | None:
        return self._latest.get(subject)

    def keep(self, alert: Alert) -> None:
        self._latest[alert.subject] = alert

    def guard(self, subject: str) -> AbstractContextManager[object]:
        return nullcontext()


class AlertDesk:
    def __init__(
        self,
        deployment_id: DeploymentId,
        sink: AlertSink,
        hub: AlertHub | None = None,
        episode: timedelta = EPISODE_WINDOW,
        book: EpisodeBook | None = None,
    ) -> None:
        self.deployment_id, self.sink, self.episode = deployment_id, sink, episode
        self.hub = hub or AlertHub()
        self.book = book or LocalEpisodes()
        self._lock = threading.Lock()

    def offer(self, offer: Offer) -> Alert:
        """Raise a new alert, or add a sighting to the subject's open one."""
        camera, match, shot, shot_at = offer.camera, offer.match, offer.shot, offer.shot_at
        with self._lock, self.book.guard(match.subject):
            alert = self.book.latest(match.subject)
            if alert is not None and alert.in_episode(match.subject, shot_at, self.episode):
                sighting = Sighting(
                    camera=camera,
                    track=match.track,
                    score=match.score,
                    frame=shot.frame,
                    at=shot_at,
                )
                rules.add_sighting(alert, sighting)
                self.sink.sighted(alert, sighting)
                self.book.keep(alert)
                self.hub.publish(AlertEvent("sighted", alert))
                return alert
            alert = Alert(
                deployment_id=self.deployment_id,
                camera=camera,
                track=match.track,
                subject=match.subject,
                score=match.score,
                candidates=list(match.candidates),
                best_shot_frame=shot.frame,
                best_shot_at=shot_at,
                raised_at=offer.now,
                raised_at_frame=offer.frame,
            )
            ok, encoded = cv2.imencode(
                ".jpg", shot.crop, [cv2.IMWRITE_JPEG_QUALITY, ALERT_JPEG_QUALITY]
            )
            if not ok:
                raise ValueError("the alert image could not be encoded")
            self.sink.raised(alert, encoded.tobytes())
            self.book.keep(alert)
            self.hub.publish(AlertEvent("raised", alert))
            return alert
