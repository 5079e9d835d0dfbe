"""What each camera did while live: the counts the register and the cancellation report need.

Counting a face is allowed; keeping it is not. So `faces_seen` is a number of distinct tracks,
never a list of anything about them."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel


class Gap(BaseModel):
    """A time the camera delivered nothing (stream lost), and why."""

    started: AwareDatetime
    ended: AwareDatetime | None = None
    reason: str = ""


class CameraMetrics(BaseModel):
    camera: str
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

    def uptime_seconds(self) -> float:
        """Time running, less the time lost in gaps."""
        if self.started_at is None or self.updated_at is None:
            return 0.0
        lost = sum(
            ((gap.ended or self.updated_at) - gap.started).total_seconds() for gap in self.gaps
        )
        return max(0.0, (self.updated_at - self.started_at).total_seconds() - lost)

    def gap_started(self, at: datetime, reason: str) -> None:
        self.gaps = [*self.gaps, Gap(started=at, reason=reason)]

    def gap_ended(self, at: datetime) -> None:
        if self.gaps and self.gaps[-1].ended is None:
            self.gaps[-1].ended = at
            self.reconnects += 1
