"""The engine while it runs: Gold's pause and resume through the run gate, several cameras in
one process, and real-time pacing against a clock the test moves (no wall clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import cv2

from govkit import START, Flow
from openlfr.eval.video import Truth
from openlfr.live.camera_state import CameraPhase, CameraState
from openlfr.live.desk import AlertDesk, AlertHub, JsonlAlertSink
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.matcher import FrozenWatchlist
from openlfr.live.sources import Frame, FrameSource, GapReport, Pacing, VideoFile
from openlfr.services import operations

OPENED = START + timedelta(minutes=10)
EVERY_FRAME = EngineSettings(threshold=0.45, pacing=Pacing.VIDEO, poll_seconds=0.0)


class Scripted:
    """A source that does something before it delivers chosen frames (what Gold does while
    the camera runs), so the moment is a frame, not a time."""

    def __init__(self, source: FrameSource, actions: dict[int, Callable[[], None]]) -> None:
        self.source, self.actions = source, actions

    def frames(self, report: GapReport) -> Iterator[Frame]:
        for frame in self.source.frames(report):
            if action := self.actions.get(frame.index):
                action()
            yield frame

    def close(self) -> None:
        self.source.close()


def frame_count(video: Path) -> int:
    capture = cv2.VideoCapture(str(video))
    try:
        return int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        capture.release()


def desk(ref: str, tmp_path: Path) -> AlertDesk:
    return AlertDesk(ref, JsonlAlertSink(tmp_path / "alerts.jsonl"), AlertHub())


def test_golds_pause_holds_the_camera_and_resume_releases_it(
    sqlite_flow: Flow, walkpast: Truth, walkpast_watchlist: FrozenWatchlist, tmp_path: Path
) -> None:
    ref = sqlite_flow.live()
    uow, seen = sqlite_flow.uow, []
    engine: LiveEngine

    def pause() -> None:
        operations.pause(uow, "gail", ref, "crowd too dense", now=OPENED + timedelta(seconds=1))

    def look() -> None:
        seen.append(engine.camera_states()["cam-1"])

    def resume() -> None:
        operations.resume(uow, "gail", ref, now=OPENED + timedelta(seconds=3))

    source = Scripted(VideoFile(walkpast.video, Pacing.VIDEO), {25: pause, 50: look, 75: resume})
    engine = LiveEngine(
        {"cam-1": source},
        walkpast_watchlist,
        desk(ref, tmp_path),
        sqlite_flow.gate(ref),
        EVERY_FRAME,
        OPENED,
    )
    metrics = engine.run()["cam-1"]
    assert seen and seen[0].phase is CameraPhase.PAUSED  # what the console shows while held
    assert metrics.frames_processed == frame_count(walkpast.video) - 50  # frames 25 to 74 held
    assert not engine.errors
    assert engine.camera_states()["cam-1"].phase is CameraPhase.ENDED


def test_two_cameras_in_one_process_each_see_every_frame_and_page_once_per_person(
    sqlite_flow: Flow, walkpast: Truth, walkpast_watchlist: FrozenWatchlist, tmp_path: Path
) -> None:
    ref = sqlite_flow.live(cameras=["cam-1", "cam-2"])
    hub = AlertHub()
    inbox = hub.subscribe()
    engine = LiveEngine(
        {camera: VideoFile(walkpast.video, Pacing.VIDEO) for camera in ("cam-1", "cam-2")},
        walkpast_watchlist,
        AlertDesk(ref, JsonlAlertSink(tmp_path / "alerts.jsonl"), hub),
        sqlite_flow.gate(ref),
        EVERY_FRAME,
        OPENED,
    )
    metrics = engine.run()
    assert not engine.stop_reason and not engine.errors, (engine.stop_reason, engine.errors)
    frames = frame_count(walkpast.video)
    assert {c: m.frames_processed for c, m in metrics.items()} == {"cam-1": frames, "cam-2": frames}
    events = []
    while not inbox.empty():
        events.append(inbox.get_nowait())
    raised = [event.alert for event in events if event.kind == "raised"]
    # The same walkers pass both cameras at once: one alert each, seen by both cameras.
    assert len(raised) == len({alert.subject for alert in raised}) == 4
    for alert in raised:  # whichever camera raised it, the other's sighting joined it
        assert {alert.camera, *(s.camera for s in alert.sightings)} == {"cam-1", "cam-2"}


class Jumping:
    """A clock that moves `step` seconds each time it is read: a pipeline that falls behind."""

    def __init__(self, step: float) -> None:
        self.step, self.seconds = step, 0.0

    def __call__(self) -> float:
        self.seconds += self.step
        return self.seconds


def test_real_time_pacing_skips_the_frames_a_late_pipeline_missed_and_counts_them(
    walkpast: Truth,
) -> None:
    fps = 25.0
    source = VideoFile(walkpast.video, Pacing.REALTIME, clock=Jumping(step=0.2))
    delivered = list(source.frames(_NoGaps()))
    total = frame_count(walkpast.video)
    assert 0 < len(delivered) < total / 2  # most frames were late and skipped
    assert sum(f.dropped_before for f in delivered) + len(delivered) == total
    assert all(f.at == f.index / fps for f in delivered)  # times are the video's own
    assert [f.index for f in delivered] == sorted({f.index for f in delivered})


class _NoGaps:
    def gap_started(self, reason: str) -> None:
        raise AssertionError(reason)

    def gap_ended(self) -> None:
        raise AssertionError("no gap was open")


def test_a_paused_camera_is_not_falling_behind_and_shows_its_figures() -> None:
    from openlfr.domain.metrics import CameraMetrics

    held = CameraState.of(
        CameraMetrics(camera="cam-1", frames_processed=3, faces_seen=2),
        started=True,
        alive=True,
        paused=True,
        stop_reason="",
    )
    assert (held.phase, held.faces_seen, held.falling_behind) == (CameraPhase.PAUSED, 2, False)
