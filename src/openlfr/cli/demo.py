"""`openlfr demo`: the main job on the bundled demo photos, with no set-up beyond `make demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openlfr.cli.evaluate import identification

DEMO_PHOTOS = Path("demo/photos")


def demo(
    photos: Annotated[Path, typer.Option(help="One subfolder per person.")] = DEMO_PHOTOS,
    out: Annotated[Path, typer.Option(help="Where the results go.")] = Path("var/demo"),
) -> None:
    """Enrol the demo photos and search every other photo of each person against them (LFR-ID-1)."""
    if not photos.is_dir():
        raise typer.BadParameter(f"{photos} not found; run from the project folder", "--photos")
    identification(photos, out=out, workers=0)
