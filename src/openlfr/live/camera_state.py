"""What each camera is doing now, as the console, `/healthz` and the CLI report it.

One value per camera, read off the engine: a phase a person understands, the reason when it
is not simply running, and the two figures an operator watches (the share of frames processed
and the faces seen). Derived, never stored: the metrics and the engine's flags are the truth."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from openlfr.domain.metrics import CameraMetrics

FALLING_BEHIND = 0.5
"""Below this share of frames processed the camera is falling behind and the console warns."""


class CameraPhase(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    RECONNECTING = "reconnecting"
    FAILED = "failed"
    ENDED = "ended"


@dataclass(frozen=True)
class CameraState:
    camera: str
    phase: CameraPhase
    reason: str = ""
    processed_share: float = 0.0
    faces_seen: int = 0

    @property
    def falling_behind(self) -> bool:
        return self.phase is CameraPhase.RUNNING and self.processed_share < FALLING_BEHIND

    @classmethod
    def of(
        cls, metrics: CameraMetrics, *, started: bool, alive: bool, paused: bool, stop_reason: str
    ) -> CameraState:
        """The phase from the camera thread's life and its metrics: an error is a failure, an
        open gap a reconnection, a thread that has ended without either has ended."""
        phase, reason = _phase(metrics, started, alive, paused, stop_reason)
        return cls(metrics.camera, phase, reason, metrics.processed_share, metrics.faces_seen)


def _phase(
    metrics: CameraMetrics, started: bool, alive: bool, paused: bool, stop_reason: str
) -> tuple[CameraPhase, str]:
    open_gap = metrics.gaps[-1] if metrics.gaps and metrics.gaps[-1].ended is None else None
    if metrics.error:
        return CameraPhase.FAILED, metrics.error
    if not started:
        return CameraPhase.STARTING, ""
    if not alive:
        return CameraPhase.ENDED, stop_reason or "the source ended"
    if open_gap is not None:
        return CameraPhase.RECONNECTING, open_gap.reason
    if paused:
        return CameraPhase.PAUSED, ""
    return CameraPhase.RUNNING, ""
