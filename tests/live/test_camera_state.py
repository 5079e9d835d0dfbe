"""The phase a person reads for a camera, from its thread's life and its metrics."""

from datetime import UTC, datetime

from openlfr.domain.metrics import CameraMetrics
from openlfr.live.camera_state import CameraPhase, CameraState

AT = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def state(metrics: CameraMetrics, **flags: bool | str) -> CameraState:
    given = {"started": True, "alive": True, "paused": False, "stop_reason": ""} | flags
    return CameraState.of(metrics, **given)  # type: ignore[arg-type]


def test_running_then_paused_then_ended_with_the_stop_reason() -> None:
    metrics = CameraMetrics(camera="north", frames_processed=9, frames_dropped=1, faces_seen=4)
    assert state(metrics).phase is CameraPhase.RUNNING
    assert state(metrics).processed_share == 0.9 and state(metrics).faces_seen == 4
    assert state(metrics, paused=True).phase is CameraPhase.PAUSED
    ended = state(metrics, alive=False, stop_reason="the window ended")
    assert (ended.phase, ended.reason) == (CameraPhase.ENDED, "the window ended")
    assert state(metrics, started=False).phase is CameraPhase.STARTING


def test_an_error_is_a_failure_and_an_open_gap_a_reconnection() -> None:
    metrics = CameraMetrics(camera="north")
    metrics.gap_started(AT, "stream north stopped delivering frames")
    reconnecting = state(metrics)
    assert reconnecting.phase is CameraPhase.RECONNECTING
    assert reconnecting.reason == "stream north stopped delivering frames"
    metrics.gap_ended(AT)
    assert state(metrics).phase is CameraPhase.RUNNING
    metrics.error = "cannot open rtsp://cam/1"
    failed = state(metrics, alive=False)
    assert (failed.phase, failed.reason) == (CameraPhase.FAILED, "cannot open rtsp://cam/1")


def test_a_camera_processing_under_half_its_frames_is_falling_behind() -> None:
    behind = CameraMetrics(camera="north", frames_processed=44, frames_dropped=869)
    assert state(behind).falling_behind
    assert not state(behind, paused=True).falling_behind
    assert not state(CameraMetrics(camera="north", frames_processed=10)).falling_behind
