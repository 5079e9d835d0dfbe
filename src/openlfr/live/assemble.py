"""One live engine for one deployment, assembled the same way for `openlfr live run` and the web
console: the frozen watchlist, the store's alert and metrics sinks, the deployment's run gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from openlfr.domain.deployment import DeploymentId, DeploymentRef
from openlfr.live.desk import AlertDesk, AlertHub
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import DeploymentGate
from openlfr.live.sources import Pacing, open_source
from openlfr.services import deployments
from openlfr.services.alerts import StoreAlertSink, StoreMetricsSink
from openlfr.services.watchlists import LiveWatchlist, load_live_watchlist
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


@dataclass(frozen=True)
class Assembled:
    engine: LiveEngine
    watchlist: LiveWatchlist
    deployment_id: DeploymentId


def assemble_engine(
    database: Database,
    vault: Vault,
    ref: DeploymentRef,
    sources: dict[str, str],
    threshold: float,
    detect_side: int = 640,
    hub: AlertHub | None = None,
    pacing: Pacing = Pacing.REALTIME,
) -> Assembled:
    """`sources` maps camera id to an rtsp/http URL, a webcam index or a video file; video-time
    pacing processes every frame of a file (deterministic runs). The engine is built, not
    started: `LiveEngine.start()` asks the run gate first."""

    def uow() -> UnitOfWork:
        return UnitOfWork(database.sessions)

    watchlist = load_live_watchlist(uow(), ref, vault)
    deployment_id = deployments.get_deployment(uow(), ref).id
    engine = LiveEngine(
        {name: open_source(source, pacing) for name, source in sources.items()},
        watchlist,
        AlertDesk(deployment_id, StoreAlertSink(database, vault), hub),
        DeploymentGate(lambda: deployments.get_deployment(uow(), ref)),
        EngineSettings(threshold=threshold, detect_side=detect_side, pacing=pacing),
        datetime.now(UTC),
        StoreMetricsSink(database, deployment_id),
    )
    return Assembled(engine, watchlist, deployment_id)
