"""Live engines run by the console in the server process, one per deployment, each on its own
threads: started by the deployment's Gold or Silver on allow-listed sources, wired to the
console's alert hub and previews, paused and stopped with Gold's buttons. An engine also stops
by itself when its sources end, the deployment is stopped or its window closes (the run gate)."""

from __future__ import annotations

import functools
import threading

from fastapi import Request

from openlfr import bootstrap
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.errors import GovernanceError
from openlfr.domain.operating import require_camera_runner
from openlfr.domain.roles import Actor
from openlfr.live.engine import LiveEngine
from openlfr.live.sources import Pacing
from openlfr.services import deployments, operations
from openlfr.services.watchlists import LiveWatchlist
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.web.live_state import LiveState


class Engines:
    def __init__(self, live: LiveState) -> None:
        self.live = live
        self._engines: dict[str, LiveEngine] = {}
        self._watchlists: dict[str, LiveWatchlist] = {}
        self._lock = threading.Lock()

    def start(
        self,
        database: Database,
        vault: Vault,
        actor: Actor,
        ref: DeploymentRef,
        sources: dict[str, str],
        pacing: Pacing = Pacing.REALTIME,
    ) -> LiveEngine:
        """`sources`: camera id to an allow-listed source. Refused unless the actor is the
        deployment's Gold or Silver, every camera set up has a source, and the run gate permits
        every camera now (`operations.start_cameras`, which records who started them); an
        engine already running for the deployment is refused."""
        d = deployments.get_deployment(UnitOfWork(database.sessions), ref)
        require_camera_runner(d, actor)  # before the watchlist is decrypted
        with self._lock:
            if self.running(d.id):
                raise GovernanceError(f"the cameras of {d.reference} are already running")
            built = bootstrap.live_engine(
                database, vault, ref, sources, d.terms.threshold, hub=self.live.hub, pacing=pacing
            )
            operations.start_cameras(
                UnitOfWork(database.sessions),
                actor.username,
                ref,
                sources,
                built.watchlist.snapshot_hash,
                d.terms.threshold,
            )
            built.engine.start()
            self._engines[d.id] = built.engine
            self._watchlists[d.id] = built.watchlist
        for camera in sources:
            self.live.attach_preview(d.id, camera, functools.partial(built.engine.preview, camera))
        return built.engine

    def running(self, deployment_id: str) -> bool:
        engine = self._engines.get(deployment_id)
        return engine is not None and not engine.finished

    def status(self, deployment_id: str) -> str:
        """What the console says about the engine: not started, running, or why it ended."""
        engine = self._engines.get(deployment_id)
        if engine is None:
            return "not running"
        if not engine.finished:
            return "running"
        errors = "; ".join(f"{c}: {e}" for c, e in engine.errors.items())
        return f"ended: {engine.stop_reason or errors or 'the sources ended'}"

    def watchlist(self, deployment_id: str) -> LiveWatchlist | None:
        """The watchlist the engine loaded, kept after it ends for the alert view (its images
        are read from the snapshot, so nothing is served once the snapshot is destroyed)."""
        return self._watchlists.get(deployment_id)

    def pause(self, deployment_id: str) -> None:
        if engine := self._engines.get(deployment_id):
            engine.pause()

    def resume(self, deployment_id: str) -> None:
        if engine := self._engines.get(deployment_id):
            engine.resume()

    def stop(self, deployment_id: str, reason: str) -> None:
        if engine := self._engines.get(deployment_id):
            engine.stop(reason)

    def stop_all(self, timeout: float = 10.0) -> None:
        """At shutdown: stop every engine and wait for its camera threads."""
        for engine in list(self._engines.values()):
            engine.stop("the console shut down")
        for engine in list(self._engines.values()):
            engine.join(timeout)


def engines_of(request: Request) -> Engines:
    engines: Engines = request.app.state.engines
    return engines
