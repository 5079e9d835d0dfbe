"""`openlfr demo`: a whole deployment on a fresh machine, from an empty database to its published
register entry, with the console to watch and adjudicate it (see `openlfr.demo`)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from openlfr.demo.run import DemoOptions, bundled_photos, run_demo
from openlfr.demo.summary import summary, where_to_look
from openlfr.live.sources import Pacing


def demo(
    webcam: Annotated[
        int | None, typer.Option(help="Run on this webcam instead of the walk-past.")
    ] = None,
    video: Annotated[
        Path | None, typer.Option(help="Run on this video file instead.", exists=True)
    ] = None,
    watchlist: Annotated[
        Path | None,
        typer.Option(help="Your watchlist: one subfolder per person.", exists=True),
    ] = None,
    photos: Annotated[
        Path | None,
        typer.Option(help="The bundled people (default: demo/photos).", show_default=False),
    ] = None,
    out: Annotated[Path, typer.Option(help="The demo's database and video.")] = Path("var/demo"),
    seconds: Annotated[
        float | None, typer.Option(help="Stop the camera after this many seconds.")
    ] = None,
    watchlisted: Annotated[
        int | None, typer.Option(help="Watchlisted people who walk past (default: all).")
    ] = None,
    passers_by: Annotated[int, typer.Option(help="Passers-by in the walk-past.")] = 10,
    headless: Annotated[
        bool, typer.Option(help="No console: alerts stay raised and not adjudicated.")
    ] = False,
    port: Annotated[int, typer.Option(help="The console's port on 127.0.0.1.")] = 8000,
    grace: Annotated[
        float, typer.Option(help="Seconds after the video to adjudicate pending alerts.")
    ] = 300.0,
    pacing: Annotated[
        Pacing, typer.Option(help="realtime, or video: every frame, as fast as it goes.")
    ] = Pacing.REALTIME,
    seed: Annotated[int, typer.Option(help="Same seed, same watchlist and walk-past.")] = 7,
) -> None:
    """Set up and run a complete deployment on embedded defaults, then publish it."""
    if webcam is not None and video is not None:
        raise typer.BadParameter("choose --webcam or --video, not both")
    photos = photos or bundled_photos()
    if not photos.is_dir():
        raise typer.BadParameter(
            f"{photos} not found; run from the project folder", param_hint="--photos"
        )
    source = str(webcam) if webcam is not None else (str(video) if video else None)
    options = DemoOptions(
        photos=photos,
        work=out,
        watchlist=watchlist,
        source=source,
        walkers=watchlisted,
        passers_by=passers_by,
        seconds=seconds,
        headless=headless,
        port=port,
        grace=grace,
        pacing=pacing,
        seed=seed,
    )
    result = run_demo(options, typer.echo)
    typer.echo(summary(result))
    typer.echo(where_to_look(result))
    if result.console is None:
        return
    typer.echo(f"\nThe console stays up at {result.console.url}; Ctrl-C to quit.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        result.console.stop()
