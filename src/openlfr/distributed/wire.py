"""The five messages that cross the broker, and nothing else.

worker -> matchers (a decision stream): `template` (one probe template of a track), `ended`
(the track has left), `crop` (a matched track's best shot, sent only when asked), `metrics`
(a camera run's counters, for the register: numbers only).
matcher -> worker (its request stream): `request` (this track matched: send its crop).
No frame ever crosses; a crop only for a track the matcher has already matched."""

from __future__ import annotations

import logging
import zlib
from datetime import datetime
from typing import Any

import numpy as np
import redis

from openlfr.distributed.broker import (
    DECIDE_MAXLEN,
    REQUESTS_MAXLEN,
    BrokerKey,
    Names,
    Sealed,
)
from openlfr.domain.alerts import Candidate
from openlfr.domain.metrics import CameraMetrics
from openlfr.live.bestshot import BestShot
from openlfr.live.desk import Offer
from openlfr.live.matcher import Match

log = logging.getLogger(__name__)
TEMPLATE, ENDED, CROP, METRICS, REQUEST = "template", "ended", "crop", "metrics", "request"


def partition_of(camera: str, partitions: int) -> int:
    """A camera's messages always go to one partition, so one matcher holds a track's
    evidence and sees its messages in order."""
    return zlib.crc32(camera.encode()) % partitions


def match_header(match: Match) -> dict[str, Any]:
    return {
        "track": match.track,
        "subject": match.subject,
        "score": match.score,
        "candidates": [[c.subject, c.score] for c in match.candidates],
    }


def match_from(header: dict[str, Any]) -> Match:
    candidates = [
        Candidate(subject=subject, score=score) for subject, score in header["candidates"]
    ]
    return Match(header["track"], header["subject"], header["score"], candidates)


def template_from(sealed: Sealed) -> np.ndarray:
    """A writeable copy, so the matcher's `wipe` can overwrite it after the comparison."""
    return np.frombuffer(bytearray(sealed.blob), np.float32)


def crop_from(sealed: Sealed) -> Offer:
    h = sealed.header
    crop = np.frombuffer(bytearray(sealed.blob), np.uint8).reshape(h["shape"])
    shot = BestShot(crop, h["shot"]["frame"], h["shot"]["at"], h["shot"]["score"])
    return Offer(
        h["camera"],
        match_from(h["match"]),
        shot,
        datetime.fromisoformat(h["shot_at"]),
        datetime.fromisoformat(h["now"]),
        h["frame"],
    )


class Publisher:
    """A worker's side of the wire: sealed, bounded XADDs to its cameras' partitions."""

    def __init__(
        self, client: redis.Redis, names: Names, key: BrokerKey, worker: str, partitions: int
    ) -> None:
        self.client, self.names, self.key = client, names, key
        self.worker, self.partitions = worker, partitions
        self.failing = False

    def _send(self, camera: str, kind: str, header: dict[str, Any], blob: bytes = b"") -> None:
        """A message the broker cannot take is dropped, not queued: a template is then never
        compared (the safe failure) and the camera keeps running."""
        stream = self.names.decide(partition_of(camera, self.partitions))
        header = {"camera": camera, "worker": self.worker} | header
        fields = self.key.seal(stream, kind, self.worker, header, blob)
        try:
            self.client.xadd(stream, fields, maxlen=DECIDE_MAXLEN, approximate=False)
        except redis.RedisError:
            if not self.failing:
                log.warning(
                    "the broker is unreachable: %s messages are dropped until it is back", camera
                )
            self.failing = True
            return
        self.failing = False

    def template(
        self, camera: str, track: str, template: np.ndarray, at: float, quality: float
    ) -> None:
        """One probe template with its shot's time and quality (the decision rule's inputs)."""
        header = {"track": track, "at": at, "quality": quality}
        self._send(camera, TEMPLATE, header, template.astype(np.float32).tobytes())

    def ended(self, camera: str, track: str) -> None:
        self._send(camera, ENDED, {"track": track})

    def crop(self, offer: Offer) -> None:
        crop = np.ascontiguousarray(offer.shot.crop)
        header = {
            "match": match_header(offer.match),
            "shot": {"frame": offer.shot.frame, "at": offer.shot.at, "score": offer.shot.score},
            "shot_at": offer.shot_at.isoformat(),
            "now": offer.now.isoformat(),
            "frame": offer.frame,
            "shape": list(crop.shape),
        }
        self._send(offer.camera, CROP, header, crop.tobytes())

    def metrics(self, metrics: CameraMetrics) -> None:
        self._send(metrics.camera, METRICS, {"metrics": metrics.model_dump(mode="json")})


def send_request(
    client: redis.Redis,
    names: Names,
    key: BrokerKey,
    matcher: str,
    worker: str,
    camera: str,
    match: Match,
) -> None:
    """The matcher asks a worker for a matched track's best shot."""
    stream = names.requests(worker)
    header = {"camera": camera, "match": match_header(match)}
    fields = key.seal(stream, REQUEST, matcher, header)
    client.xadd(stream, fields, maxlen=REQUESTS_MAXLEN, approximate=False)
