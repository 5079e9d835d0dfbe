"""`openlfr eval ...`: the fixed evaluation protocols, as commands anyone can rerun."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from openlfr import __version__
from openlfr.biometrics.batch import default_workers, main_faces
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.eval.identification import score, split_folder

app = typer.Typer(help="Run the evaluation protocols (../shared/design/eval-protocol.md).")
console = Console(stderr=True)


@app.command("identification")
def identification(
    folder: Annotated[Path, typer.Argument(help="One subfolder per identity.", exists=True)],
    out: Annotated[Path, typer.Option(help="Folder for probes.jsonl and summary.json.")] = Path(
        "var/eval/identification"
    ),
    workers: Annotated[int, typer.Option(help="Processes (default: every core).")] = 0,
) -> None:
    """LFR-ID-1: 1:N identification on a labelled folder of stills."""
    split = split_folder(folder)
    images = split.images
    templates = {}
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("templates", total=len(images))
        for result in main_faces(images, workers or default_workers()):
            if result.sample is not None:
                templates[result.path] = result.sample.template
            progress.advance(task)
    provenance = {
        "protocol": "LFR-ID-1, every probe x enrolment pair",
        "gallery": folder.resolve().name,
        "measured": datetime.now(UTC).date().isoformat(),
        "openlfr": __version__,
    }
    outcome = score(split, templates, SFACE_SPEC.model_id, provenance)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "probes.jsonl").open("w") as handle:
        for record in outcome.records:
            handle.write(json.dumps(record) + "\n")
    (out / "summary.json").write_text(json.dumps(outcome.summary, indent=1))
    (out / "calibration.json").write_text(json.dumps(outcome.calibration.to_json(), indent=1))
    summary = outcome.summary
    tar = summary["per_comparison"]["tar_at_far"]
    console.print(
        f"gallery {summary['gallery_size']}, mated {summary['mated_probes']}, "
        f"non-mated {summary['non_mated_probes']}: rank-1 {summary['rank1']:.2%}; "
        f"TAR at FAR 1e-5 {_pct(tar['1e-05']['tar'])}; "
        f"TPIR at FPIR 1e-3 {_pct(summary['tpir_at_fpir']['1e-3']['tpir'])}; "
        f"written to {out}"
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"
