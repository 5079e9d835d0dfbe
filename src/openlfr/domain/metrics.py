"""What each camera did while live: the counts the register and the cancellation report need.

Counting a face is allowed; keeping it is not. So `faces_seen` is a number of distinct tracks,
never a list of anything about them.

Each run of a camera (an engine start, a restart after a stop, a move to another worker) counts
from zero under a `run` of its own; `per_camera` adds a camera's runs up for the report and the
register, so a restart never overwrites what was counted before it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from pydantic import AwareDatetime, BaseModel


class Gap(BaseModel):
    """A time the camera delivered nothing (stream lost), and why."""

    started: AwareDatetime
    ended: AwareDatetime | None = None
    reason: str = ""


def new_run() -> str:
    return uuid.uuid4().hex[:12]


class CameraMetrics(BaseModel):
    camera: str
    run: str = ""
    started_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    frames_processed: int = 0
    frames_dropped: int = 0
    faces_seen: int = 0
    alerts: int = 0
    reconnects: int = 0
    gaps: list[Gap] = []
    error: str = ""

    @property
    def processed_share(self) -> float:
        total = self.frames_processed + self.frames_dropped
        return self.frames_processed / total if total else 0.0

    def gap_started(self, at: datetime, reason: str) -> None:
        self.gaps = [*self.gaps, Gap(started=at, reason=reason)]

    def gap_ended(self, at: datetime) -> None:
        if self.gaps and self.gaps[-1].ended is None:
            self.gaps[-1].ended = at
            self.reconnects += 1


def per_camera(runs: Iterable[CameraMetrics]) -> list[CameraMetrics]:
    """Every camera's runs added up (counts summed, gaps listed in order, the first start and
    the last update), one line per camera in camera order."""
    cameras: dict[str, CameraMetrics] = {}
    for run in sorted(runs, key=lambda m: (m.camera, m.started_at is None, m.started_at)):
        total = cameras.setdefault(run.camera, CameraMetrics(camera=run.camera))
        total.started_at = min((t for t in (total.started_at, run.started_at) if t), default=None)
        total.updated_at = max((t for t in (total.updated_at, run.updated_at) if t), default=None)
        total.frames_processed += run.frames_processed
        total.frames_dropped += run.frames_dropped
        total.faces_seen += run.faces_seen
        total.alerts += run.alerts
        total.reconnects += run.reconnects
        total.gaps = [*total.gaps, *run.gaps]
        total.error = "; ".join(e for e in (total.error, run.error) if e)
    return [cameras[camera] for camera in sorted(cameras)]
