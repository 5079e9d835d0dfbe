"""`openlfr live run` (a deployment's cameras, in real time, under the run gate) and
`openlfr simulate walkpast` (a synthetic test video with ground truth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from openlfr import bootstrap
from openlfr.cli._shared import ActingAs, Reference, refusals, unit_of_work
from openlfr.cli.distributed import Namespace, Partitions, serve_matcher
from openlfr.eval.walkpast import WalkpastSpec, build
from openlfr.services.operations import start_cameras
from openlfr.store.vault import Vault

app = typer.Typer(help="Run the live engine for a live deployment.")
simulate_app = typer.Typer(help="Build synthetic test material for system tests and benchmarks.")


@app.command("run")
@refusals
def run(
    ref: Reference,
    by: ActingAs,
    camera: Annotated[
        list[str],
        typer.Option(help="CAMERA_ID=SOURCE: an rtsp/http URL, a webcam index or a video file."),
    ],
    threshold: Annotated[float, typer.Option(help="No lower than the approved threshold.")],
    detect_side: Annotated[int, typer.Option(help="Longest side the detector sees.")] = 640,
    broker: Annotated[
        str,
        typer.Option(
            envvar="OPENLFR_BROKER_URL",
            help="Redis URL: run as the deployment's matcher; `openlfr worker`s run the cameras.",
        ),
    ] = "",
    partitions: Partitions = 1,
    namespace: Namespace = "openlfr",
) -> None:
    """The deployment's Gold or Silver runs its cameras in real time until the deployment is
    stopped, its window ends, or Ctrl-C. Alerts go to the database (images encrypted); metrics
    are saved as it runs. With a broker (OPENLFR_BROKER_URL) the same engine is split: this
    process decides and records, and `openlfr worker` processes on any host run the cameras."""
    sources = camera_sources(camera)
    if broker:
        serve_matcher(ref, broker, threshold, partitions, namespace, (by, sources))
        return
    built = bootstrap.live_engine(
        bootstrap.database(), Vault.from_environment(), ref, sources, threshold, detect_side
    )
    start_cameras(unit_of_work(), by, ref, sources, built.watchlist.snapshot_hash, threshold)
    engine = built.engine
    engine.start()
    typer.echo(f"{ref}: live on {', '.join(sources)}")
    try:
        engine.join()
    except KeyboardInterrupt:
        engine.stop("stopped at the console")
        engine.join()
    for name, metrics in engine.metrics.items():
        typer.echo(
            f"{name}: {metrics.frames_processed} frames processed ({metrics.processed_share:.0%}), "
            f"{metrics.faces_seen} faces seen, {metrics.alerts} alerts, "
            f"{metrics.reconnects} reconnects {metrics.error}"
        )
    typer.echo(f"stopped: {engine.stop_reason or 'the sources ended'}")


def camera_sources(specs: list[str]) -> dict[str, str]:
    """CAMERA_ID=SOURCE options as a mapping; anything else is a usage error."""
    malformed = [spec for spec in specs if "=" not in spec.strip("=")]
    if malformed:
        raise typer.BadParameter(f"{malformed[0]!r}: give CAMERA_ID=SOURCE", param_hint="--camera")
    return dict(spec.split("=", 1) for spec in specs)


@simulate_app.command("walkpast")
def walkpast(
    photos: Annotated[Path, typer.Argument(help="One subfolder per person.", exists=True)],
    out: Annotated[Path, typer.Option(help="Folder for walkpast.mp4, truth.json, watchlist/.")],
    seconds: Annotated[float, typer.Option(help="Length of the video.")] = 30.0,
    watchlisted: Annotated[int, typer.Option(help="Watchlisted people who walk past.")] = 4,
    watchlist_size: Annotated[int, typer.Option(help="People on the watchlist.")] = 20,
    seed: Annotated[int, typer.Option(help="Same seed, same video.")] = 7,
    size: Annotated[str, typer.Option(help="Frame size, WIDTHxHEIGHT.")] = "1280x720",
    min_face: Annotated[float, typer.Option(help="Face height (px) as a walker appears.")] = 60.0,
    max_face: Annotated[float, typer.Option(help="Face height (px) as a walker leaves.")] = 160.0,
    pairs: Annotated[float, typer.Option(help="Share of walks by two side by side.")] = 0.0,
    lanes: Annotated[int, typer.Option(help="Streams of walkers crossing at once.", min=1)] = 1,
) -> None:
    """A synthetic walk-past (LFR-VID-1 truth) from a labelled photo folder."""
    width, _, height = size.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or not 0 <= pairs <= 1 or min_face > max_face:
        raise typer.BadParameter("need --size like 1920x1080, --pairs 0..1, --min-face <= max")
    spec = WalkpastSpec(
        seconds=seconds,
        watchlisted=watchlisted,
        watchlist_size=watchlist_size,
        seed=seed,
        size=(int(width), int(height)),
        face_heights=(min_face, max_face),
        pairs=pairs,
        lanes=lanes,
    )
    truth = build(photos, out, spec)
    listed = sum(a["subject"] is not None for a in truth["appearances"])
    typer.echo(
        json.dumps(
            {"appearances": len(truth["appearances"]), "watchlisted": listed, "out": str(out)}
        )
    )
