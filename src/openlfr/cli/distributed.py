"""`openlfr worker` and `openlfr matcher`: the live engine split across machines through Redis
Streams. Embedded (`openlfr live run`) is the default; setting OPENLFR_BROKER_URL (or --broker)
is the one switch to this mode. See docs/DISTRIBUTED.md."""

from __future__ import annotations

import logging
import signal
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import typer

from openlfr.cli._shared import Key, _database, refusals, unit_of_work
from openlfr.distributed.broker import BrokerKey, BrokerRefused, Names, connect
from openlfr.distributed.matcher_service import assemble
from openlfr.distributed.status_server import StatusServer
from openlfr.distributed.worker import Worker
from openlfr.live.engine import EngineSettings
from openlfr.live.sources import Pacing
from openlfr.live.telemetry import process_telemetry
from openlfr.services import deployments
from openlfr.services.operations import start_cameras
from openlfr.services.watchlists import load_live_watchlist
from openlfr.store.db import database_url
from openlfr.store.vault import Vault

app = typer.Typer()

Broker = Annotated[
    str, typer.Option(envvar="OPENLFR_BROKER_URL", help="Redis URL, e.g. redis://10.0.0.2:6379/0.")
]
Namespace = Annotated[
    str,
    typer.Option(envvar="OPENLFR_BROKER_NAMESPACE", help="Key prefix of a deployment's processes."),
]
Partitions = Annotated[int, typer.Option(help="Decision streams (matchers sharing the load).")]


def _until_signalled(stop: Callable[[], None]) -> None:
    """SIGTERM stops as Ctrl-C does: cameras end cleanly, leases are released."""
    signal.signal(signal.SIGTERM, lambda *_: stop())


@app.command("worker")
def worker(
    deployment: Annotated[str, typer.Option(help="Deployment reference, as the matcher has it.")],
    broker: Broker,
    namespace: Namespace = "openlfr",
    worker_id: Annotated[str, typer.Option("--id", help="Default: host name + random.")] = "",
    pacing: Annotated[Pacing, typer.Option(help="video: every frame (tests).")] = Pacing.REALTIME,
    loop: Annotated[bool, typer.Option(help="Loop video files.")] = False,
    detect_side: Annotated[int, typer.Option(help="Longest side the detector sees.")] = 640,
    hold_seconds: Annotated[float, typer.Option(help="Crops kept after a track ends.")] = 10.0,
    heartbeat: Annotated[float, typer.Option(help="Seconds before a silent worker is dead.")] = 3.0,
    status_port: Annotated[
        int, typer.Option(help="Serve /healthz and /metrics on this port (0: no server).")
    ] = 0,
    status_host: Annotated[str, typer.Option(help="Address the status server binds.")] = (
        "127.0.0.1"
    ),
) -> None:
    """Run the camera stages for the cameras assigned to this worker; publish only sealed
    best-shot templates. Needs OPENLFR_BROKER_KEY; no database, no watchlist."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    client = connect(broker)
    names = Names(namespace, deployment)
    config = {k.decode(): v.decode() for k, v in client.hgetall(names.config).items()}
    settings = EngineSettings(
        threshold=float(config.get("threshold", "1.0")),
        pacing=pacing,
        detect_side=detect_side,
        poll_seconds=1.0,
    )
    runner = Worker(
        client,
        names,
        BrokerKey.from_environment(),
        settings,
        worker_id or None,
        hold_seconds,
        heartbeat,
        loop,
    )
    _until_signalled(runner.stop)
    status = None
    if status_port:
        status = StatusServer(status_host, status_port, process_telemetry(), runner.health)
        status.start()
        typer.echo(f"status on http://{status_host}:{status.port}/healthz and /metrics")
    typer.echo(f"worker {runner.id} for {deployment}")
    try:
        runner.run()
    except BrokerRefused as refusal:
        typer.echo(f"refused: {refusal}", err=True)
        raise typer.Exit(3) from refusal
    except KeyboardInterrupt:
        runner.stop()
    finally:
        if status is not None:
            status.stop()


@app.command("matcher")
@refusals
def matcher(
    key: Key,
    broker: Broker,
    threshold: Annotated[float, typer.Option(help="No lower than the approved threshold.")],
    partitions: Partitions = 1,
    namespace: Namespace = "openlfr",
) -> None:
    """One more matcher for a deployment whose cameras `openlfr live run` (with a broker)
    started: holds the frozen watchlist, decides on the workers' templates, records alerts."""
    serve_matcher(key, broker, threshold, partitions, namespace)


def serve_matcher(
    key: str,
    broker: str,
    threshold: float,
    partitions: int,
    namespace: str,
    start: tuple[str, dict[str, str]] | None = None,
) -> None:
    """`openlfr matcher`, and `openlfr live run` with a broker, which also `start`s the cameras
    (who, and camera -> source as the workers see it): checked and recorded as in embedded mode
    before anything reaches the broker."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    vault = Vault.from_environment()
    database = _database(database_url())
    found = deployments.get_deployment(unit_of_work(), key)
    watchlist = load_live_watchlist(unit_of_work(), key, vault)
    client = connect(broker)
    names = Names(namespace, found.reference)
    sources: dict[str, str] = {}
    if start is not None:
        by, sources = start
        start_cameras(unit_of_work(), by, key, sources, watchlist.snapshot_hash, threshold)
    service = assemble(
        client,
        names,
        BrokerKey.from_environment(),
        f"matcher-{uuid.uuid4().hex[:8]}",
        found.id,
        watchlist,
        threshold,
        lambda: deployments.get_deployment(unit_of_work(), key),
        (database, vault),
        lambda: datetime.now(UTC),
        partitions,
        sources,
    )
    _until_signalled(service.stop)
    typer.echo(f"{service.member} for {found.reference}")
    try:
        service.run()
    except KeyboardInterrupt:
        service.stop()
