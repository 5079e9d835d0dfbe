"""`openlfr worker` and `openlfr matcher`: the live engine split across machines through Redis
Streams. Embedded (`openlfr live run`) is the default; setting OPENLFR_BROKER_URL (or --broker)
is the one switch to this mode. See docs/DISTRIBUTED.md."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Annotated

import typer

from openlfr import bootstrap
from openlfr.cli._shared import Reference, refusals
from openlfr.distributed.broker import BrokerRefused
from openlfr.distributed.status_server import StatusServer
from openlfr.domain.deployment import DeploymentRef
from openlfr.live.sources import Pacing
from openlfr.live.telemetry import process_telemetry
from openlfr.store.vault import Vault

app = typer.Typer()

Broker = Annotated[
    str, typer.Option(envvar="OPENLFR_BROKER_URL", help="Redis URL, e.g. redis://10.0.0.2:6379/0.")
]
Namespace = Annotated[
    str,
    typer.Option(
        envvar="OPENLFR_BROKER_NAMESPACE", help="Reference prefix of a deployment's processes."
    ),
]
Partitions = Annotated[int, typer.Option(help="Decision streams (matchers sharing the load).")]


def _until_signalled(stop: Callable[[], None]) -> None:
    """SIGTERM stops as Ctrl-C does: cameras end cleanly, leases are released."""
    signal.signal(signal.SIGTERM, lambda *_: stop())


@app.command("worker")
@refusals
def worker(
    deployment: Annotated[
        DeploymentRef,
        typer.Option(parser=DeploymentRef, help="Deployment reference, as the matcher has it."),
    ],
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
    runner = bootstrap.camera_worker(
        deployment,
        broker,
        namespace,
        worker_id or None,
        pacing,
        loop,
        detect_side,
        hold_seconds,
        heartbeat,
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
    ref: Reference,
    broker: Broker,
    threshold: Annotated[float, typer.Option(help="No lower than the approved threshold.")],
    partitions: Partitions = 1,
    namespace: Namespace = "openlfr",
) -> None:
    """One more matcher for a deployment whose cameras `openlfr live run` (with a broker)
    started: holds the frozen watchlist, decides on the workers' templates, records alerts."""
    serve_matcher(ref, broker, threshold, partitions, namespace)


def serve_matcher(
    ref: DeploymentRef,
    broker: str,
    threshold: float,
    partitions: int,
    namespace: str,
    start: tuple[str, dict[str, str]] | None = None,
) -> None:
    """`openlfr matcher`, and `openlfr live run` with a broker, which also `start`s the cameras
    (who, and camera -> source as the workers see it)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    service = bootstrap.matcher_service(
        bootstrap.database(),
        Vault.from_environment(),
        ref,
        broker,
        threshold,
        partitions,
        namespace,
        start,
    )
    _until_signalled(service.stop)
    typer.echo(f"{service.member} for {ref}")
    try:
        service.run()
    except KeyboardInterrupt:
        service.stop()
