"""LFR-VID-1 on generated walk-pasts: how soon alerts come, and at what cost in misses and
false alerts, for watchlists of several sizes.

Each folder is a walk-past from `openlfr simulate walkpast` enrolled against a watchlist of 500;
a smaller watchlist keeps every walker's subject and fills up with the other enrolled people. The
threshold for each size is the lowest one the shipped calibration gives no more than
`--target` false alerts per passer-by for (one shot at the threshold), unless `--threshold` says.
Real-time pacing by default, as live. Prints one JSON line per run and a total per watchlist size;
`--record FILE` also writes every searched shot (time, quality, best candidates: numbers and
watchlist subject references only) so decision rules can be replayed without the video.

    W=test-artifacts/walkpast   # gitignored: generated videos are never committed
    for seed in 1 2 3 4; do for size in 1920x1080 1280x720; do
      openlfr simulate walkpast ../shared/data/lfw-dev --out $W/s$seed-${size#*x} \\
        --seconds 30 --watchlisted 10 --watchlist-size 500 --seed $seed --size $size \\
        --min-face 40 --max-face 160 --pairs 0.3 --lanes 3
    done; done
    python bench/walkpast_latency.py $W/s[123]-* --watchlist 500 50 [--pacing video]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.index import TemplateIndex
from openlfr.eval.video import Truth, enrol, load_truth, score
from openlfr.live.desk import AlertDesk, JsonlAlertSink
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import EvaluationGate
from openlfr.live.matcher import FrozenWatchlist, Match, Matcher, TrackTemplate
from openlfr.live.sources import Pacing, VideoFile


class RecordingMatcher(Matcher):
    """The engine's own matcher, writing down each searched shot before deciding on it."""

    def __init__(self, watchlist: FrozenWatchlist, threshold: float, run: str, log: list) -> None:
        super().__init__(watchlist, threshold)
        self.run, self.log = run, log

    def consider(self, message: TrackTemplate) -> Match | None:
        (candidates,) = self.watchlist.index.search(message.template[np.newaxis].copy(), 3)
        self.log.append(
            {
                "run": self.run,
                "track": message.track,
                "at": round(message.at, 3),
                "quality": round(message.quality, 3),
                "candidates": [[c.subject, round(c.score, 4)] for c in candidates],
            }
        )
        return super().consider(message)


def watchlist_of(truth: Truth, folder: Path, size: int) -> FrozenWatchlist:
    """Every walker's subject, then the other enrolled people in name order, up to `size`;
    the enrolment templates of the folder are computed once and kept beside it."""
    cache = folder / "enrolment.npz"
    if not cache.is_file():
        full, _ = enrol(truth.watchlist, FaceEngine())
        full.index.save(cache)
    stored = np.load(cache)
    subjects, templates = list(stored["subjects"]), stored["templates"]
    walking = {a.subject for a in truth.appearances if a.subject is not None}
    chosen = sorted(walking) + sorted(set(subjects) - walking)
    keep = set(chosen[:size])
    rows = [i for i, s in enumerate(subjects) if s in keep]
    index = TemplateIndex([subjects[i] for i in rows], templates[rows])
    return FrozenWatchlist(index, f"bench:{folder.name}:{size}")


def calibrated_threshold(size: int, target: float) -> float:
    table = calibration.load(SFACE_SPEC.model_id)
    return float(min(t for t in table.thresholds if t >= 0.4 and table.fpir(t, size) <= target))


def run_one(
    folder: Path, size: int, threshold: float, pacing: Pacing, out: Path, log: list
) -> dict[str, Any]:
    truth = load_truth(folder / "truth.json")
    watchlist = watchlist_of(truth, folder, size)
    name = f"{folder.name}-{size}"
    alerts_path = out / f"{name}.alerts.jsonl"
    alerts_path.unlink(missing_ok=True)
    sink = JsonlAlertSink(alerts_path)
    start = datetime(2000, 1, 1, tzinfo=UTC)
    settings = EngineSettings(threshold=threshold, pacing=pacing)
    engine = LiveEngine(
        {"cam-1": VideoFile(truth.video, pacing)},
        watchlist,
        AlertDesk("benchmark", sink),
        EvaluationGate(start + timedelta(days=1)),
        settings,
        start,
        decider=lambda _: RecordingMatcher(watchlist, threshold, name, log),
    )
    cpu, wall = time.process_time(), time.monotonic()
    metrics = engine.run()["cam-1"]
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    sink.close()
    records = [json.loads(line) for line in alerts_path.read_text().splitlines() if line]
    summary = score(truth, records, metrics.faces_seen)
    return {
        "run": name,
        "threshold": threshold,
        "watchlist": watchlist.index.subject_count,
        **summary,
        "processed_share": round(metrics.processed_share, 3),
        "cpu_per_video_second": round(cpu / (truth.frame_count / truth.fps), 3),
        "wall_s": round(wall, 1),
        "found_latencies_s": _latencies(truth, records),
    }


def _latencies(truth: Truth, records: list[dict[str, Any]]) -> list[float]:
    """Each found appearance's latency (the same rule as `eval.video.score`), for pooling."""
    grace = round(2.0 * truth.fps)
    found = []
    for a in truth.appearances:
        if a.subject is None:
            continue
        hits = [
            r["emitted_at_frame"]
            for r in records
            if r["subject"] == a.subject
            and a.first_frame <= r["emitted_at_frame"] <= a.last_frame + grace
        ]
        if hits:
            found.append(round((min(hits) - a.first_frame) / truth.fps, 3))
    return found


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [x for r in runs for x in r["found_latencies_s"]]
    listed = sum(r["watchlisted_appearances"] for r in runs)
    passers = sum(r["passers_by_truth"] for r in runs)
    false = sum(r["false_alerts"] for r in runs)
    return {
        "runs": len(runs),
        "watchlisted_appearances": listed,
        "found": sum(r["found"] for r in runs),
        "tpir": round(sum(r["found"] for r in runs) / listed, 4) if listed else None,
        "passers_by": passers,
        "false_alerts": false,
        "false_alerts_per_1000": round(1000 * false / passers, 2) if passers else None,
        "duplicates": sum(r["duplicate_alerts"] for r in runs),
        "latency_median_s": statistics.median(latencies) if latencies else None,
        "latency_p95_s": round(float(np.percentile(latencies, 95)), 3) if latencies else None,
        "processed_share_min": min(r["processed_share"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--watchlist", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--target", type=float, default=1e-3)
    parser.add_argument("--pacing", type=Pacing, default=Pacing.REALTIME)
    parser.add_argument("--out", type=Path, default=Path("var/bench/walkpast_latency"))
    parser.add_argument("--record", type=Path, default=None)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log: list[dict[str, Any]] = []
    for size in args.watchlist:
        threshold = args.threshold or calibrated_threshold(size, args.target)
        runs = []
        for folder in args.folders:
            runs.append(run_one(folder, size, threshold, args.pacing, args.out, log))
            print(json.dumps(runs[-1]), flush=True)
        print(json.dumps({"watchlist": size, "threshold": threshold, **pooled(runs)}), flush=True)
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text("".join(json.dumps(entry) + "\n" for entry in log))


if __name__ == "__main__":
    main()
