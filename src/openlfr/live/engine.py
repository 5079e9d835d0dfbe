"""The live engine: every camera of a deployment under the run gate, each in its own thread.

It starts only when the gate permits every camera (the deployment live, inside its window, the
cameras and watchlist snapshot authorised, a threshold no lower than the approved one). While
running it asks the gate again every `poll_seconds` and whenever a permit's `until` passes, so a
pause holds the cameras, and a stop or the window's end stops them; `pause`, `resume` and `stop`
are the direct control interface (e.g. for the console)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from openlfr.biometrics.detector import FaceDetector
from openlfr.biometrics.engine import FaceEngine
from openlfr.domain.errors import RunRefused
from openlfr.domain.metrics import CameraMetrics
from openlfr.domain.run_gate import RunPermit
from openlfr.live.bestshot import ShotPolicy
from openlfr.live.camera_state import CameraState
from openlfr.live.decision import DecisionRule
from openlfr.live.gate import Gate
from openlfr.live.matcher import MatchDecider, Matcher, Watchlist
from openlfr.live.pipeline import CameraPipeline, Desk, ScanPolicy, Stopped, Timeline
from openlfr.live.sources import FrameSource, Pacing
from openlfr.live.telemetry import Telemetry


class MetricsSink(Protocol):
    def record(self, metrics: CameraMetrics) -> None: ...


@dataclass(frozen=True)
class EngineSettings:
    threshold: float
    pacing: Pacing = Pacing.REALTIME
    detect_side: int = 640
    """Longest side of the frame the detector sees; boxes are mapped back to the full frame."""
    poll_seconds: float = 2.0
    metrics_seconds: float = 30.0
    shots: ShotPolicy = field(default_factory=ShotPolicy)
    rule: DecisionRule = field(default_factory=DecisionRule)
    scan: ScanPolicy = field(default_factory=ScanPolicy)


def default_faces(settings: EngineSettings) -> FaceEngine:
    """One face engine per camera thread (OpenCV nets are not thread-safe)."""
    return FaceEngine(FaceDetector(max_side=settings.detect_side, coarse_side=None))


class LiveEngine:
    def __init__(
        self,
        cameras: dict[str, FrameSource],
        watchlist: Watchlist,
        desk: Desk,
        gate: Gate,
        settings: EngineSettings,
        start: datetime,
        metrics_sink: MetricsSink | None = None,
        faces: Callable[[EngineSettings], FaceEngine] = default_faces,
        decider: Callable[[str], MatchDecider] | None = None,
        clock: Callable[[], float] = time.monotonic,
        telemetry: Telemetry | None = None,
    ) -> None:
        """`decider(camera)` replaces the in-process `Matcher` (a camera worker's broker
        client); the decision logic itself is the same `Matcher` on the other side. `clock`
        (seconds) runs the timeline in real-time pacing and before the first frame."""
        self.watchlist, self.desk, self.gate, self.settings = watchlist, desk, gate, settings
        self.metrics_sink = metrics_sink
        self.timeline = Timeline(start, settings.pacing, clock)
        decider = decider or (lambda _: Matcher(watchlist, settings.threshold, settings.rule))
        self.pipelines = {
            camera: CameraPipeline(
                camera,
                source,
                faces(settings),
                decider(camera),
                desk,
                self.timeline,
                settings.shots,
                telemetry,
                settings.scan,
            )
            for camera, source in cameras.items()
        }
        self._permits: dict[str, RunPermit] = {}
        self._checked: dict[str, datetime] = {}
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._held: set[str] = set()
        """Cameras the gate holds (the deployment paused by Gold): running, processing nothing."""
        self._threads: list[threading.Thread] = []
        self.stop_reason = ""
        self.errors: dict[str, BaseException] = {}

    def start(self) -> None:
        """Ask the gate for every camera first (RunRefused: nothing starts), then run them."""
        self.timeline.begin()
        now = self.timeline.now(None)
        for camera in self.pipelines:
            permit = self._ask(camera, now)
            if permit is None:
                raise RunRefused("the deployment is paused; the engine starts when it is live")
        for camera, pipeline in self.pipelines.items():
            thread = threading.Thread(target=self._run, args=(pipeline,), name=f"live-{camera}")
            thread.start()
            self._threads.append(thread)

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def run(self) -> dict[str, CameraMetrics]:
        self.start()
        self.join()
        return self.metrics

    def stop(self, reason: str = "stopped by the operator") -> None:
        self.stop_reason = self.stop_reason or reason
        self._stop.set()

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    @property
    def finished(self) -> bool:
        """Started, and every camera thread has ended."""
        return bool(self._threads) and not any(t.is_alive() for t in self._threads)

    @property
    def metrics(self) -> dict[str, CameraMetrics]:
        return {camera: p.metrics.model_copy(deep=True) for camera, p in self.pipelines.items()}

    def camera_states(self) -> dict[str, CameraState]:
        """Each camera's phase now (running, paused, reconnecting, failed, ended) and why."""
        threads = {t.name.removeprefix("live-"): t for t in self._threads}
        return {
            camera: CameraState.of(
                metrics,
                started=camera in threads,
                alive=camera in threads and threads[camera].is_alive(),
                paused=self._paused.is_set() or camera in self._held,
                stop_reason=self.stop_reason,
            )
            for camera, metrics in self.metrics.items()
        }

    def preview(self, camera: str) -> bytes | None:
        return self.pipelines[camera].preview()

    def running(self, camera: str, now: datetime) -> bool:
        """The `Control` each pipeline consults before every frame."""
        if self._stop.is_set():
            raise Stopped(self.stop_reason)
        permit = self._permits.get(camera)
        poll = timedelta(seconds=self.settings.poll_seconds)
        if permit is None or now >= permit.until or now - self._checked[camera] >= poll:
            try:
                permit = self._ask(camera, now)
            except RunRefused as refusal:
                self.stop(refusal.reason)
                raise Stopped(refusal.reason) from refusal
        return permit is not None and not self._paused.is_set()

    def _ask(self, camera: str, now: datetime) -> RunPermit | None:
        snapshot, threshold = self.watchlist.snapshot_hash, self.settings.threshold
        permit = self.gate.check(camera, snapshot, threshold, now)
        self._checked[camera] = now
        if permit is None:
            self._permits.pop(camera, None)
            self._held.add(camera)
        else:
            self._permits[camera] = permit
            self._held.discard(camera)
        return permit

    def _run(self, pipeline: CameraPipeline) -> None:
        done = threading.Event()
        reporter = threading.Thread(target=self._report, args=(pipeline, done), daemon=True)
        reporter.start()
        try:
            pipeline.run(self)
        except Exception as error:  # kept for the caller; the metrics say what happened
            self.errors[pipeline.camera] = error
        finally:
            done.set()
            self._record(pipeline)

    def _report(self, pipeline: CameraPipeline, done: threading.Event) -> None:
        while not done.wait(self.settings.metrics_seconds):
            self._record(pipeline)

    def _record(self, pipeline: CameraPipeline) -> None:
        if self.metrics_sink is not None:
            with pipeline.lock:
                snapshot = pipeline.metrics.model_copy(deep=True)
            self.metrics_sink.record(snapshot)
