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
from openlfr.cli._shared import refusals, unit_of_work
from openlfr.eval.equitability import measure_equitability, read_demographics
from openlfr.eval.identification import read_identities, score, split_folder
from openlfr.eval.video import load_truth
from openlfr.eval.video import run as run_video
from openlfr.live.engine import EngineSettings
from openlfr.live.sources import Pacing
from openlfr.services.equitability import store_evidence

app = typer.Typer(help="Run the evaluation protocols (../shared/design/eval-protocol.md).")
console = Console(stderr=True)


@app.command("identification")
def identification(
    folder: Annotated[Path, typer.Argument(help="One subfolder per identity.", exists=True)],
    out: Annotated[Path, typer.Option(help="Folder for probes.jsonl and summary.json.")] = Path(
        "var/eval/identification"
    ),
    workers: Annotated[int, typer.Option(help="Processes (default: every core).")] = 0,
    exclude: Annotated[
        Path | None,
        typer.Option(
            help="Identities to leave out, one a line (e.g. bench/lfw_label_noise.txt).",
            exists=True,
        ),
    ] = None,
) -> None:
    """LFR-ID-1: 1:N identification on a labelled folder of stills."""
    split = split_folder(folder, read_identities(exclude) if exclude else ())
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
        "gallery": folder.resolve().name
        + (f" without the identities in {exclude.name}" if exclude else ""),
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


@app.command("video")
def video(
    truth: Annotated[Path, typer.Argument(help="LFR-VID-1 truth.json.", exists=True)],
    out: Annotated[Path, typer.Option(help="Folder for alerts.jsonl and summary.json.")] = Path(
        "var/eval/video"
    ),
    threshold: Annotated[float, typer.Option(help="Alert threshold (cosine score).")] = 0.45,
    pacing: Annotated[Pacing, typer.Option(help="realtime (as live) or video time.")] = (
        Pacing.REALTIME
    ),
    detect_side: Annotated[int, typer.Option(help="Longest side the detector sees.")] = 640,
) -> None:
    """LFR-VID-1: the live engine on a video with ground truth."""
    settings = EngineSettings(threshold=threshold, pacing=pacing, detect_side=detect_side)
    summary = run_video(load_truth(truth), out, settings)
    console.print(
        f"found {summary['found']}/{summary['watchlisted_appearances']}, "
        f"false alerts {summary['false_alerts']} "
        f"({summary['false_alerts_per_1000_passers_by']:.1f} per 1,000 passers-by), "
        f"duplicates {summary['duplicate_alerts']}, latency p95 {summary['latency_p95_s']} s, "
        f"faces seen {summary['faces_seen']} of {summary['passers_by_truth']}; written to {out}"
    )


@app.command("equitability")
@refusals
def equitability(
    folder: Annotated[Path, typer.Argument(help="One subfolder per identity.", exists=True)],
    demographics: Annotated[
        Path, typer.Option(help="CSV: face_id, face_age, face_gender, face_eth.")
    ],
    threshold: Annotated[float, typer.Option(help="The threshold in use.")],
    out: Annotated[Path, typer.Option(help="JSON evidence document to write.")] = Path(
        "var/eval/equitability.json"
    ),
    file_as: Annotated[
        str | None, typer.Option("--file-as", help="Also file it in the database as this user.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Processes (default: every core).")] = 0,
) -> None:
    """Equitability evidence: LFR-ID-1 per demographic group at the threshold in use."""
    split = split_folder(folder)
    templates = {
        r.path: r.sample.template
        for r in main_faces(split.images, workers or default_workers())
        if r.sample is not None
    }
    provenance = {
        "gallery": folder.resolve().name,
        "measured": datetime.now(UTC).date().isoformat(),
        "openlfr": __version__,
    }
    evidence = measure_equitability(
        split,
        templates,
        read_demographics(demographics),
        threshold,
        SFACE_SPEC.model_id,
        provenance,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(evidence.model_dump_json(indent=1))
    for g in evidence.groups:
        console.print(f"{g.attribute}={g.group} (n={g.subjects}): {g.finding}")
    if file_as:
        version, digest = store_evidence(unit_of_work(), file_as, evidence)
        console.print(f"filed as version {version}, {digest}")
    console.print(f"{evidence.digest}; written to {out}")
