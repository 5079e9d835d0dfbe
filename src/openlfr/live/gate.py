"""The run gate as the engine sees it: may this camera process faces now?

`DeploymentGate` asks the domain (`run_gate.authorise_run`) on the deployment as stored, so a
pause, a stop or the end of the window reaches the engine at its next check. A paused
deployment answers None (hold: take no faces, keep the camera); anything else not live is a
`RunRefused` (stop)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.run_gate import RunPermit, authorise_run


class Gate(Protocol):
    def check(
        self, camera: str, snapshot_hash: str, threshold: float, now: datetime
    ) -> RunPermit | None: ...


class DeploymentGate:
    def __init__(self, load: Callable[[], Deployment]) -> None:
        self.load = load

    def check(
        self, camera: str, snapshot_hash: str, threshold: float, now: datetime
    ) -> RunPermit | None:
        deployment = self.load()
        start, end = deployment.window
        if deployment.state is State.PAUSED and start <= now < end:
            return None
        return authorise_run(deployment, now, camera, snapshot_hash, threshold)


class EvaluationGate:
    """For protocol runs and benchmarks on recorded video only: there is no deployment, so
    every check passes until `until`. `openlfr live run` never uses it."""

    def __init__(self, until: datetime) -> None:
        self.until = until

    def check(
        self, camera: str, snapshot_hash: str, threshold: float, now: datetime
    ) -> RunPermit | None:
        return RunPermit(
            deployment=DeploymentRef("evaluation"),
            camera_id=camera,
            snapshot_hash=snapshot_hash,
            threshold=threshold,
            until=self.until,
        )
