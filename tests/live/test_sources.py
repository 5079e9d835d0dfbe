"""Sources: a stream that dies is reopened and the gap counted; a live source never queues."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import numpy as np

from openlfr.domain.metrics import CameraMetrics
from openlfr.live.sources import LiveStream


class FakeCamera:
    """A camera that delivers `frames` frames, then fails as a dropped network stream does."""

    def __init__(self, frames: int, value: int) -> None:
        self.left, self.value = frames, value

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.002)
        if self.left == 0:
            return False, None
        self.left -= 1
        return True, np.full((4, 4, 3), self.value, np.uint8)

    def release(self) -> None:
        pass


class Report:
    def __init__(self) -> None:
        self.metrics = CameraMetrics(camera="cam-1")

    def gap_started(self, reason: str) -> None:
        self.metrics.gap_started(datetime.now(UTC), reason)

    def gap_ended(self) -> None:
        self.metrics.gap_ended(datetime.now(UTC))


def test_a_stream_that_dies_is_reconnected_and_the_gap_recorded() -> None:
    opened = iter([FakeCamera(20, 1), OSError("unreachable"), FakeCamera(10_000, 2)])

    def opener() -> FakeCamera:
        camera = next(opened)
        if isinstance(camera, Exception):
            raise camera
        return camera

    stream, report = LiveStream(opener, "rtsp://cam-1", backoff=(0.01,)), Report()
    seen: list[int] = []
    for frame in stream.frames(report):
        seen.append(int(frame.image[0, 0, 0]))
        if seen[-1] == 2 and len(seen) > 5:
            break
    assert 1 in seen and seen[-1] == 2
    assert report.metrics.reconnects == 1
    (gap,) = report.metrics.gaps
    assert "stopped delivering" in gap.reason and gap.ended is not None


def test_a_slow_consumer_gets_the_newest_frame_and_the_rest_are_counted_dropped() -> None:
    stream = LiveStream(lambda: FakeCamera(10_000, 3), "camera 0")
    dropped, frames = 0, 0
    for frame in stream.frames(Report()):
        dropped += frame.dropped_before
        frames += 1
        time.sleep(0.02)  # a pipeline slower than the camera
        if frames == 10:
            break
    assert dropped > frames
    assert threading.active_count() < 10
