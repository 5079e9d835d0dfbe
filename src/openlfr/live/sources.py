"""Where frames come from, paced as a live camera would deliver them.

A live source never builds a backlog: a grabber thread keeps only the newest frame, and every
frame replaced before the pipeline took it is counted as dropped. A file played "as live" is
paced by its own fps against a clock, and frames the pipeline is late for are skipped (counted).
A stream that stops is reopened with back-off and the gap reported; a video that cannot be
decoded ends with `SourceError`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

#: Seconds to wait before each reopening attempt of a lost stream (the last one repeats).
BACKOFF = (0.5, 1.0, 2.0, 5.0)
#: A file that ends more than this many frames before its declared length is corrupt.
TRUNCATION_TOLERANCE = 2


class SourceError(Exception):
    """The source cannot deliver video (cannot be opened, or corrupt); the message says which."""


class Pacing(StrEnum):
    REALTIME = "realtime"
    """Wall-clock time: what `live run` and the benchmark use; late frames are dropped."""
    VIDEO = "video"
    """Video time: every frame is processed and time advances with the video (tests, eval)."""


@dataclass(frozen=True)
class Frame:
    image: np.ndarray
    index: int
    """Frame number since the source started (for files: the frame of the video)."""
    at: float
    """Seconds since the source started: video time for files, wall time for streams."""
    dropped_before: int = 0
    """Frames skipped since the previous one delivered (counted, never seen)."""


class Capture(Protocol):
    """What a source needs of an opened camera; `cv2.VideoCapture` is one."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def release(self) -> None: ...


class GapReport(Protocol):
    def gap_started(self, reason: str) -> None: ...
    def gap_ended(self) -> None: ...


class FrameSource(Protocol):
    def frames(self, report: GapReport) -> Iterator[Frame]: ...
    def close(self) -> None: ...


class VideoFile:
    """A video file played as a camera, optionally looped."""

    def __init__(
        self,
        path: Path,
        pacing: Pacing = Pacing.REALTIME,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` (seconds) paces real-time play: a camera's frames wait for no one."""
        self.path, self.pacing, self.loop, self.clock = path, pacing, loop, clock
        self._closed = threading.Event()

    def _open(self) -> tuple[cv2.VideoCapture, float, int]:
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            raise SourceError(f"video {self.path} cannot be opened: missing, corrupt or not video")
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        return capture, fps, int(capture.get(cv2.CAP_PROP_FRAME_COUNT))

    def frames(self, report: GapReport) -> Iterator[Frame]:
        capture, fps, count = self._open()
        started, offset, position, dropped = self.clock(), 0, 0, 0
        try:
            while not self._closed.is_set():
                if self.pacing is Pacing.REALTIME:
                    early = (offset + position) / fps - (self.clock() - started)
                    if early > 0 and self._closed.wait(early):
                        return
                    due = int((self.clock() - started) * fps) - offset
                    while position < min(due, count - 1) and capture.grab():
                        position, dropped = position + 1, dropped + 1
                ok, image = capture.read()
                if not ok or image is None:
                    if position < count - TRUNCATION_TOLERANCE:
                        raise SourceError(
                            f"video {self.path} is corrupt: decoding failed at frame {position} "
                            f"of {count}"
                        )
                    if not self.loop:
                        return
                    capture.release()
                    capture, fps, count = self._open()
                    offset, position = offset + position, 0
                    continue
                yield Frame(image, offset + position, (offset + position) / fps, dropped)
                position, dropped = position + 1, 0
        finally:
            capture.release()

    def close(self) -> None:
        self._closed.set()


class LiveStream:
    """An RTSP/HTTP stream or a local camera: a grabber thread keeps only the newest frame and
    reopens a lost stream with back-off, reporting the gap."""

    def __init__(
        self, opener: Callable[[], Capture], name: str, backoff: tuple[float, ...] = BACKOFF
    ) -> None:
        self.opener, self.name, self.backoff = opener, name, tuple(backoff)
        self._closed = threading.Event()
        self._ready = threading.Condition()
        self._latest: Frame | None = None
        self._overwritten = 0

    def frames(self, report: GapReport) -> Iterator[Frame]:
        grabber = threading.Thread(target=self._grab, args=(report,), daemon=True)
        grabber.start()
        try:
            while not self._closed.is_set():
                with self._ready:
                    self._ready.wait_for(lambda: self._latest is not None or self._closed.is_set())
                    frame, self._latest = self._latest, None
                    dropped, self._overwritten = self._overwritten, 0
                if frame is not None:
                    yield Frame(frame.image, frame.index, frame.at, dropped)
        finally:
            self.close()
            grabber.join(timeout=5)

    def close(self) -> None:
        self._closed.set()
        with self._ready:
            self._ready.notify_all()

    def _grab(self, report: GapReport) -> None:
        started, index, capture = time.monotonic(), 0, self._reopen(report, first=True)
        while capture is not None and not self._closed.is_set():
            try:
                ok, image = capture.read()
            except Exception:  # a driver fault is a lost stream, not a crash
                ok, image = False, None
            if not ok or image is None:
                capture.release()
                report.gap_started(f"stream {self.name} stopped delivering frames")
                capture = self._reopen(report, first=False)
                continue
            with self._ready:
                self._overwritten += self._latest is not None
                self._latest = Frame(image, index, time.monotonic() - started)
                self._ready.notify()
            index += 1
        if capture is not None:
            capture.release()

    def _reopen(self, report: GapReport, first: bool) -> Capture | None:
        attempt = 0
        while not self._closed.is_set():
            delay = self.backoff[min(attempt, len(self.backoff) - 1)]
            if not first and self._closed.wait(delay):
                break
            try:
                capture: Capture | None = self.opener()
            except Exception:  # an unreachable camera is a gap, not a crash
                capture = None
            if capture is not None and capture.isOpened():
                if not first:
                    report.gap_ended()
                return capture
            if first:
                report.gap_started(f"stream {self.name} could not be opened")
                first = False
            attempt += 1
        return None


def open_source(spec: str, pacing: Pacing = Pacing.REALTIME, loop: bool = False) -> FrameSource:
    """A webcam index ("0"), a stream URL (rtsp://, http(s)://) or a video file path."""
    if spec.isdigit():
        return LiveStream(lambda: cv2.VideoCapture(int(spec)), f"camera {spec}")
    if spec.split("://", 1)[0] in {"rtsp", "rtsps", "http", "https"}:
        return LiveStream(lambda: cv2.VideoCapture(spec, cv2.CAP_FFMPEG), spec)
    return VideoFile(Path(spec), pacing, loop)
