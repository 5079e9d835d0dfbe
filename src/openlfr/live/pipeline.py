"""One camera: frames in, tracks and best shots, probe templates to the matcher, alerts out.

Detection runs on a downscaled frame (the detector's `max_side`), landmarks are mapped back and
faces aligned on the full frame. Only faces the model can recognise are templated, a capped
number per track; every template is wiped after its comparison and a track's crops when it ends
without an alert. A decider that answers later (a broker) gets an ended track's crops held for
its `hold_seconds`, then they are wiped too."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from openlfr.biometrics.detector import MIN_RECOGNITION_SCORE, Face
from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.quality import LIVE_PROBE, assess
from openlfr.domain.alerts import Alert
from openlfr.domain.metrics import CameraMetrics, new_run
from openlfr.live.bestshot import ShotPolicy, TrackShots, shot_quality, shot_score
from openlfr.live.desk import Offer
from openlfr.live.matcher import Match, MatchDecider, TrackTemplate
from openlfr.live.privacy import blurred_preview, wipe
from openlfr.live.sources import Frame, FrameSource, Pacing
from openlfr.live.telemetry import Telemetry, process_telemetry
from openlfr.live.tracker import Track, Tracker

#: Faces smaller than this on the detector's downscaled frame are detected again at full size.
REFINE_BELOW = 40.0


@dataclass(frozen=True)
class ScanPolicy:
    """How often the whole frame is searched for faces. Between two full detections only the
    regions of the tracks still undecided are searched (one small net each), so a busy camera
    costs a fraction of a full detection per frame; a new face is found at the next full one."""

    full_every: int = 1
    """Frames per full detection (1: every frame). Keep `full_every / fps` well under the
    tracker's patience (0.6 s), or a decided track would end and start again."""


class Control(Protocol):
    def running(self, camera: str, now: datetime) -> bool:
        """True to process this frame, False to hold (paused); raises `Stopped` to end."""
        ...


class Desk(Protocol):
    """Where a match and its best shot go: the `AlertDesk`, or (on a camera worker) the courier
    that sends the crop to the matcher that asked for it (and answers None)."""

    def offer(self, offer: Offer) -> Alert | None: ...


class Stopped(Exception):
    """The camera must stop (stop asked, window over, gate refused); the message says why."""


@dataclass
class Timeline:
    """Turns source seconds into datetimes: video time (every frame, deterministic) or time on
    `clock` since `begin()` (real-time pacing; also the time before the first frame)."""

    start: datetime
    pacing: Pacing
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.begin()

    def begin(self) -> None:
        """Time starts now: the engine calls this when its cameras start, after its models
        have loaded, so loading never eats into the deployment's window."""
        self.started = self.clock()

    def at(self, seconds: float) -> datetime:
        return self.start + timedelta(seconds=seconds)

    def now(self, frame: Frame | None) -> datetime:
        if self.pacing is Pacing.VIDEO and frame is not None:
            return self.at(frame.at)
        return self.at(self.clock() - self.started)


class _MetricsReport:
    """Gap reports from a grabber thread land in the camera's metrics under a lock."""

    def __init__(self, metrics: CameraMetrics, lock: threading.Lock, timeline: Timeline) -> None:
        self.metrics, self.lock, self.timeline = metrics, lock, timeline

    def gap_started(self, reason: str) -> None:
        with self.lock:
            self.metrics.gap_started(self.timeline.now(None), reason)

    def gap_ended(self) -> None:
        with self.lock:
            self.metrics.gap_ended(self.timeline.now(None))


class CameraPipeline:
    def __init__(
        self,
        camera: str,
        source: FrameSource,
        faces: FaceEngine,
        matcher: MatchDecider,
        desk: Desk,
        timeline: Timeline,
        shots: ShotPolicy | None = None,
        telemetry: Telemetry | None = None,
        scan: ScanPolicy | None = None,
    ) -> None:
        self.camera, self.source, self.faces = camera, source, faces
        self.matcher, self.desk, self.timeline = matcher, desk, timeline
        self.policy = shots or ShotPolicy()
        self.scan = scan or ScanPolicy()
        self._since_full = self.scan.full_every
        telemetry = telemetry or process_telemetry()
        self._processed = telemetry.frames_processed.labels(camera)
        self._dropped = telemetry.frames_dropped.labels(camera)
        self._detection = telemetry.detection_seconds.labels(camera)
        self._templating = telemetry.template_seconds.labels(camera)
        self._latency = telemetry.alert_latency_seconds.labels(camera)
        self.metrics = CameraMetrics(camera=camera, run=new_run())
        self.lock = threading.Lock()
        self.tracker = Tracker(camera)
        self._shots: dict[str, TrackShots] = {}
        self._alerted: set[str] = set()
        self._held: dict[str, tuple[TrackShots, float]] = {}
        """Ended tracks' shots kept until a late decision or the monotonic deadline."""
        self._seen = 0
        self._view: tuple[np.ndarray, list[Track]] | None = None

    def run(self, control: Control) -> CameraMetrics:
        """Process frames until the source ends or control says stop; metrics are kept even
        when the source fails (the exception is re-raised after)."""
        frame: Frame | None = None
        with self.lock:
            self.metrics.started_at = self.timeline.now(None)
        try:
            for frame in self.source.frames(_MetricsReport(self.metrics, self.lock, self.timeline)):
                now = self.timeline.now(frame)
                with self.lock:
                    self.metrics.frames_dropped += frame.dropped_before
                    self.metrics.updated_at = now
                self._dropped.inc(frame.dropped_before)
                if not control.running(self.camera, now):
                    continue
                self._process(frame, now)
        except Stopped:
            pass
        except Exception as error:
            with self.lock:
                self.metrics.error = str(error)
            raise
        finally:
            self.source.close()
            self._end_all(frame)
        return self.metrics

    def preview(self) -> bytes | None:
        """The latest frame as a JPEG with every non-alert face blurred."""
        view = self._view
        if view is None:
            return None
        return blurred_preview(view[0], view[1], self._alerted)

    def _process(self, frame: Frame, now: datetime) -> None:
        full = self._since_full + frame.dropped_before + 1 >= self.scan.full_every
        self._since_full = 0 if full else self._since_full + 1 + frame.dropped_before
        faces = self._detect_full(frame) if full else self._detect_regions(frame)
        update = self.tracker.update(faces, frame.at)
        self._take_decisions(frame, now)
        for track in update.active:
            if track.id in self._alerted:
                continue
            if full:
                track.face = self._refined(frame, track.face) or track.face
            if track.face.score >= MIN_RECOGNITION_SCORE:
                self._sample(frame, track, now)
        for track in update.ended:
            self._end(track, frame, now)
        self._release_held(time.monotonic())
        with self.lock:
            self.metrics.frames_processed += 1
            self.metrics.faces_seen = self._seen
        self._processed.inc()
        self._view = (frame.image, update.active)

    def _detect_full(self, frame: Frame) -> list[Face]:
        with self._detection.time():
            return self.faces.detect(frame.image)

    def _detect_regions(self, frame: Frame) -> list[Face]:
        """Each undecided track's face found again in its region (decided tracks wait for the
        next full detection, well within the tracker's patience)."""
        found = []
        for track in self.tracker.tracks.values():
            if track.id in self._alerted:
                continue
            with self._detection.time():
                face = self.faces.detector.refine(frame.image, track.face)
            if face is not None:
                found.append(face)
        return found

    def _refined(self, frame: Frame, face: Face) -> Face | None:
        """A face the downscaled detection saw small (below `REFINE_BELOW` px there) but that is
        big enough to search at full size is detected again in its region at full resolution:
        its score and landmarks then show what it really is, a few frames earlier."""
        detector = self.faces.detector
        scale = min(1.0, detector.max_side / max(frame.image.shape[:2]))
        small = face.height * scale < REFINE_BELOW
        if not small or face.height < 0.9 * LIVE_PROBE.min_face_height:
            return None
        with self._detection.time():
            return detector.refine(frame.image, face)

    def _sample(self, frame: Frame, track: Track, now: datetime) -> None:
        shots = self._shots.get(track.id)
        if shots is None:
            shots = self._shots[track.id] = TrackShots(self.policy, track.first_at)
            self._seen += 1
        embedder = self.faces.embedder
        aligned = embedder.align(frame.image, track.face)
        quality = assess(track.face, aligned, LIVE_PROBE)
        if quality.passed:
            score = shot_score(track, quality)
            shots.offer(frame.image, track, frame.index, frame.at, score)
            if shots.wants_template(frame.at, score):
                with self._templating.time():
                    template = embedder.embed(aligned, probe=True, mirror=self.policy.mirror)
                shots.templated_at(frame.at, score)
                message = TrackTemplate(
                    self.camera, track.id, template, frame.at, shot_quality(track, quality)
                )
                match = self.matcher.consider(message)
                if match is not None:
                    self._alert(match, shots, frame, now)
        wipe(aligned)

    def _take_decisions(self, frame: Frame, now: datetime) -> None:
        """Matches the decider reached since the last frame, for live or held tracks."""
        for match in self.matcher.decided():
            if match.track in self._alerted:
                continue
            held = self._held.pop(match.track, None)
            shots = held[0] if held is not None else self._shots.get(match.track)
            if shots is None:
                continue  # the track's hold ran out: its crops are already wiped
            self._alert(match, shots, frame, now)
            if held is not None:
                self._alerted.discard(match.track)
                shots.forget()

    def _release_held(self, now: float) -> None:
        for track in [t for t, (_, until) in self._held.items() if until <= now]:
            self._held.pop(track)[0].forget()

    def _alert(self, match: Match, shots: TrackShots, frame: Frame, now: datetime) -> None:
        best = shots.best
        if best is None:
            return
        alert = self.desk.offer(
            Offer(self.camera, match, best, self.timeline.at(best.at), now, frame.index)
        )
        self._alerted.add(match.track)
        self.matcher.forget(match.track)
        self._latency.observe(max(0.0, frame.at - shots.first_at))
        if alert is not None and alert.track == match.track:
            with self.lock:
                self.metrics.alerts += 1

    def _end(self, track: Track, frame: Frame, now: datetime) -> None:
        shots = self._shots.pop(track.id, None)
        if shots is None:
            return
        if track.id not in self._alerted:
            match = self.matcher.track_ended(track.id)
            if match is not None:
                self._alert(match, shots, frame, now)
            elif self.matcher.hold_seconds > 0:
                self._held[track.id] = (shots, time.monotonic() + self.matcher.hold_seconds)
                return
        self._alerted.discard(track.id)
        shots.forget()

    def _drain_held(self, frame: Frame, now: datetime) -> None:
        """The source has ended: wait (at most the hold) for the last decisions to arrive."""
        while self._held:
            self._take_decisions(frame, now)
            self._release_held(time.monotonic())
            time.sleep(0.02)

    def _end_all(self, frame: Frame | None) -> None:
        now = self.timeline.now(frame)
        ended = self.tracker.end_all()
        if frame is not None:
            for track in ended:
                self._end(track, frame, now)
            self._drain_held(frame, now)
        for shots in [*self._shots.values(), *(held for held, _ in self._held.values())]:
            shots.forget()
        self._shots.clear()
        self._held.clear()
        self._view = None
        with self.lock:
            self.metrics.updated_at = now
