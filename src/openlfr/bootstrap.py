"""The composition root: the one module that builds the parts and plugs them into one another
for the entry points (the CLI, the console, the camera workers and matchers, the demo).

Below it nothing wires: `live` runs an engine on whatever watchlist, sinks and gate it is given,
and `distributed` on whatever alert sink, metrics sink and deployment loader it is given. Here
they are the store's: the frozen watchlist decrypted from the vault, alerts and metrics recorded
through the services, the run gate reading the deployment from the database."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from openlfr.distributed.broker import BrokerKey, Names, connect
from openlfr.distributed.matcher_service import MatcherService, assemble
from openlfr.distributed.worker import Worker
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef
from openlfr.live.desk import AlertDesk, AlertHub
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import DeploymentGate
from openlfr.live.sources import Pacing, open_source
from openlfr.services import deployments
from openlfr.services.alert_delivery import IdempotentAlertSink
from openlfr.services.alerts import StoreAlertSink, StoreMetricsSink
from openlfr.services.operations import start_cameras
from openlfr.services.watchlists import LiveWatchlist, load_live_watchlist
from openlfr.store.db import Database, database_url, open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


@functools.cache
def _database(url: str) -> Database:
    return open_database(url)


def database(url: str | None = None) -> Database:
    """The database at `url` (default OPENLFR_DATABASE_URL, else var/openlfr.db), its schema
    brought up to date once; one per URL in a process (the CLI, `openlfr serve`, a matcher)."""
    return _database(url or database_url())


def unit_of_work(url: str | None = None) -> UnitOfWork:
    return UnitOfWork(database(url).sessions)


def _loader(db: Database, ref: DeploymentRef) -> Deployment:
    return deployments.get_deployment(UnitOfWork(db.sessions), ref)


@dataclass(frozen=True)
class LiveRun:
    """A deployment's live engine, built and not started (`LiveEngine.start()` asks the gate)."""

    engine: LiveEngine
    watchlist: LiveWatchlist
    deployment_id: DeploymentId


def live_engine(
    db: Database,
    vault: Vault,
    ref: DeploymentRef,
    sources: dict[str, str],
    threshold: float,
    detect_side: int = 640,
    hub: AlertHub | None = None,
    pacing: Pacing = Pacing.REALTIME,
) -> LiveRun:
    """One engine for one deployment, the same for `openlfr live run`, the console and the demo:
    the frozen watchlist, the store's alert and metrics sinks, the deployment's run gate.
    `sources` maps camera id to an rtsp/http URL, a webcam index or a video file; video-time
    pacing processes every frame of a file (deterministic runs)."""
    watchlist = load_live_watchlist(UnitOfWork(db.sessions), ref, vault)
    deployment_id = _loader(db, ref).id
    engine = LiveEngine(
        {name: open_source(source, pacing) for name, source in sources.items()},
        watchlist,
        AlertDesk(deployment_id, StoreAlertSink(db, vault), hub),
        DeploymentGate(lambda: _loader(db, ref)),
        EngineSettings(threshold=threshold, detect_side=detect_side, pacing=pacing),
        datetime.now(UTC),
        StoreMetricsSink(db, deployment_id),
    )
    return LiveRun(engine, watchlist, deployment_id)


def matcher_service(
    db: Database,
    vault: Vault,
    ref: DeploymentRef,
    broker: str,
    threshold: float,
    partitions: int,
    namespace: str,
    start: tuple[str, dict[str, str]] | None = None,
) -> MatcherService:
    """A matcher for a deployment (`openlfr matcher`, and `openlfr live run` with a broker,
    which also `start`s the cameras: who, and camera -> source as the workers see it, checked
    and recorded as in embedded mode before anything reaches the broker). Alerts are recorded
    at most once however often the broker delivers them."""
    found = _loader(db, ref)
    watchlist = load_live_watchlist(UnitOfWork(db.sessions), ref, vault)
    client = connect(broker)
    sources: dict[str, str] = {}
    if start is not None:
        by, sources = start
        start_cameras(UnitOfWork(db.sessions), by, ref, sources, watchlist.snapshot_hash, threshold)
    return assemble(
        client,
        Names(namespace, found.reference),
        BrokerKey.from_environment(),
        f"matcher-{uuid.uuid4().hex[:8]}",
        found.id,
        watchlist,
        threshold,
        lambda: _loader(db, ref),
        IdempotentAlertSink(db, vault),
        StoreMetricsSink(db, found.id),
        lambda: datetime.now(UTC),
        partitions,
        sources,
    )


def camera_worker(
    ref: DeploymentRef,
    broker: str,
    namespace: str,
    worker_id: str | None = None,
    pacing: Pacing = Pacing.REALTIME,
    loop: bool = False,
    detect_side: int = 640,
    hold_seconds: float = 10.0,
    heartbeat: float = 3.0,
) -> Worker:
    """A camera worker (`openlfr worker`): no database and no watchlist, only the broker, the
    key that seals its messages and the threshold the deployment's matchers set."""
    client = connect(broker)
    names = Names(namespace, ref)
    config = {k.decode(): v.decode() for k, v in client.hgetall(names.config).items()}
    settings = EngineSettings(
        threshold=float(config.get("threshold", "1.0")),
        pacing=pacing,
        detect_side=detect_side,
        poll_seconds=1.0,
    )
    return Worker(
        client,
        names,
        BrokerKey.from_environment(),
        settings,
        worker_id,
        hold_seconds,
        heartbeat,
        loop,
    )
