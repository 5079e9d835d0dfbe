"""The gate the live engine must pass before it looks at a single face."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.deployment import Deployment, DeploymentRef, State
from openlfr.domain.errors import RunRefused


class RunPermit(BaseModel):
    """What the engine may do, and until when; ask again after `until`."""

    model_config = ConfigDict(frozen=True)

    deployment: DeploymentRef
    camera_id: str
    snapshot_hash: str
    threshold: float
    until: AwareDatetime


def authorise_run(
    deployment: Deployment, now: datetime, camera_id: str, snapshot_hash: str, threshold: float
) -> RunPermit:
    """Permit processing only when live, in the window, on an authorised camera, with the
    imported watchlist snapshot and a threshold no lower than the approved one; else RunRefused."""
    ref = deployment.reference
    if deployment.state is not State.LIVE:
        raise RunRefused(f"deployment {ref} is {deployment.state.value}, not live")
    start, end = deployment.window
    if now < start:
        raise RunRefused(f"deployment {ref}: the authorised window opens at {start.isoformat()}")
    if now >= end:
        raise RunRefused(f"deployment {ref}: the authorised window closed at {end.isoformat()}")
    terms = deployment.terms
    if camera_id not in deployment.checklist.cameras or camera_id not in terms.cameras:
        raise RunRefused(f"deployment {ref}: camera {camera_id!r} is not authorised and set up")
    imported = deployment.checklist.watchlist
    if imported is None or imported.snapshot_hash != snapshot_hash:
        raise RunRefused(
            f"deployment {ref}: watchlist snapshot {snapshot_hash!r} is not the one imported"
        )
    if threshold < terms.threshold:
        raise RunRefused(
            f"deployment {ref}: threshold {threshold} is below the approved {terms.threshold}"
        )
    return RunPermit(
        deployment=deployment.reference,
        camera_id=camera_id,
        snapshot_hash=snapshot_hash,
        threshold=threshold,
        until=end,
    )
