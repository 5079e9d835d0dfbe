"""Sources: a stream that dies is reopened and the gap counted; a live source never queues, and
lets its camera go when the pipeline stops."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import numpy as np

from openlfr.domain.metrics import CameraMetrics
from openlfr.live.sources import LiveStream

AT = datetime(2030, 6, 1, 10, 0, tzinfo=UTC)


class FakeCamera:
    """A camera delivering frames of one value at full speed until `dies` is set, then
    failing as a dropped network stream does."""

    def __init__(self, value: int, dies: threading.Event | None = None) -> None:
        self.value, self.dies = value, dies

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.dies is not None and self.dies.is_set():
            return False, None
        return True, np.full((4, 4, 3), self.value, np.uint8)

    def release(self) -> None:
        pass


class Report:
    """The camera's metrics, on a clock that stands still."""

    def __init__(self) -> None:
        self.metrics = CameraMetrics(camera="cam-1")

    def gap_started(self, reason: str) -> None:
        self.metrics.gap_started(AT, reason)

    def gap_ended(self) -> None:
        self.metrics.gap_ended(AT)


def test_a_stream_that_dies_is_reconnected_and_the_gap_recorded() -> None:
    dies = threading.Event()
    opened = iter([FakeCamera(1, dies), OSError("unreachable"), FakeCamera(2)])

    def opener() -> FakeCamera:
        camera = next(opened)
        if isinstance(camera, Exception):
            raise camera
        return camera

    stream, report = LiveStream(opener, "rtsp://cam-1", backoff=(0.01,)), Report()
    seen: list[int] = []
    for frame in stream.frames(report):
        seen.append(int(frame.image[0, 0, 0]))
        dies.set()  # the network drops after the first frame the pipeline took
        if seen[-1] == 2:
            break
    assert seen[0] == 1 and seen[-1] == 2  # frames before the drop, and after the reconnection
    assert report.metrics.reconnects == 1
    (gap,) = report.metrics.gaps
    assert "stopped delivering" in gap.reason and gap.ended is not None


class GatedCamera:
    """A camera that delivers frame 0 at once, then 1, 2, ... only when the test lets it, so
    the test knows how many frames the source has taken while the pipeline was busy."""

    def __init__(self) -> None:
        self.permits = threading.Semaphore(1)
        self.granted = 1
        self.waiting = threading.Condition()
        self.reads = 0
        self.flowing = False
        self.released = threading.Event()

    def deliver(self, frames: int) -> None:
        """Let `frames` more frames out, and return once the source has taken every one (it
        is waiting for the next)."""
        self.granted += frames
        for _ in range(frames):
            self.permits.release()
        with self.waiting:
            self.waiting.wait_for(lambda: self.reads > self.granted)

    def flow(self) -> None:
        """From now on deliver at full speed, as a real camera does."""
        self.flowing = True
        self.permits.release()

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        with self.waiting:
            number = self.reads
            self.reads += 1
            self.waiting.notify_all()
        if not self.flowing:
            self.permits.acquire()
        return True, np.full((4, 4, 3), number % 256, np.uint8)

    def release(self) -> None:
        self.released.set()


def test_a_slow_consumer_gets_the_newest_frame_and_the_rest_are_counted_dropped() -> None:
    camera = GatedCamera()
    frames = LiveStream(lambda: camera, "camera 0").frames(Report())
    first = next(frames)
    assert (int(first.image[0, 0, 0]), first.dropped_before) == (0, 0)
    camera.deliver(5)  # frames 1 to 5 arrive while the pipeline is busy with frame 0
    second = next(frames)
    assert int(second.image[0, 0, 0]) == 5  # the newest, not the next in a queue
    assert second.dropped_before == 4  # 1 to 4 were replaced unseen, and counted
    camera.flow()
    frames.close()  # the pipeline stops
    assert camera.released.is_set()  # and the camera is let go, not held by a stray thread
