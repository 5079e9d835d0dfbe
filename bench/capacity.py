"""How many 1080p walk-past cameras one machine runs at once, in real time.

N cameras (walk-pasts of different seeds, 1080p 25 fps, from `openlfr simulate walkpast`; see
bench/walkpast_latency.py for the commands) run in one engine with real-time pacing. Per N:
TPIR, latency median and p95 (video seconds), the share of frames taken in time (the rest were
dropped, never queued), full detections per second, and CPU (cores busy on average). The
watchlist is each video's own 50 (its walkers and 40 others), united; the threshold the
calibration gives its size for 1 false alert per 1,000 passers-by. Beside it the physical
floor: what decoding every frame and one full detection per frame cost here.

    W=test-artifacts/walkpast
    python bench/capacity.py $W/s1-1080 $W/s2-1080 $W/s3-1080 $W/s4-1080 --cameras 1 2 3 4 \\
        [--full-every 3] [--mirror]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from openlfr.biometrics.detector import FaceDetector
from openlfr.biometrics.index import TemplateIndex
from openlfr.domain.alerts import Alert
from openlfr.eval.video import load_truth, score
from openlfr.live.bestshot import ShotPolicy
from openlfr.live.desk import AlertDesk, JsonlAlertSink, Offer
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import EvaluationGate
from openlfr.live.matcher import FrozenWatchlist
from openlfr.live.pipeline import ScanPolicy
from openlfr.live.sources import Pacing, VideoFile
from openlfr.live.telemetry import Telemetry
from walkpast_latency import _latencies, calibrated_threshold, pooled, watchlist_of


class DeskPerCamera:
    """Each camera's alerts to its own desk and file, so that each is scored against its own
    truth (one desk would join the same person seen on two cameras into one alert)."""

    def __init__(self, desks: dict[str, AlertDesk]) -> None:
        self.desks = desks

    def offer(self, offer: Offer) -> Alert | None:
        return self.desks[offer.camera].offer(offer)


def floor(video: Path, detect_side: int) -> dict[str, float]:
    """Decode of every frame and one full detection, per frame, on one thread."""
    cv2.setNumThreads(1)
    capture = cv2.VideoCapture(str(video))
    frames, started = [], time.perf_counter()
    while len(frames) < 250:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    decode_ms = 1000 * (time.perf_counter() - started) / len(frames)
    detector = FaceDetector(max_side=detect_side, coarse_side=None)
    detector.detect(frames[0])
    started = time.perf_counter()
    for frame in frames[:100]:
        detector.detect(frame)
    detect_ms = 1000 * (time.perf_counter() - started) / 100
    cv2.setNumThreads(-1)
    per_camera = 25 * (decode_ms + detect_ms) / 1000
    return {
        "decode_ms": round(decode_ms, 2),
        "detect_ms": round(detect_ms, 2),
        "cores_per_camera": round(per_camera, 3),
    }


def run(folders: list[Path], settings: EngineSettings, out: Path) -> dict[str, Any]:
    truths = {f"cam-{i + 1}": load_truth(f / "truth.json") for i, f in enumerate(folders)}
    parts = [watchlist_of(truths[c], f, 50).index for c, f in zip(truths, folders, strict=True)]
    watchlist = FrozenWatchlist(TemplateIndex.union(parts), "bench:capacity")
    if settings.threshold <= 0:  # the calibrated one for this watchlist's size
        size = watchlist.index.subject_count
        settings = replace(settings, threshold=calibrated_threshold(size, 1e-3))
    sinks = {camera: JsonlAlertSink(out / f"{camera}.alerts.jsonl") for camera in truths}
    for camera in truths:
        (out / f"{camera}.alerts.jsonl").write_text("")
    start = datetime(2000, 1, 1, tzinfo=UTC)
    telemetry = Telemetry()
    engine = LiveEngine(
        {c: VideoFile(t.video, Pacing.REALTIME) for c, t in truths.items()},
        watchlist,
        DeskPerCamera({c: AlertDesk("benchmark", sink) for c, sink in sinks.items()}),
        EvaluationGate(start + timedelta(days=1)),
        settings,
        start,
        telemetry=telemetry,
    )
    cpu, wall = time.process_time(), time.monotonic()
    metrics = engine.run()
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    runs = []
    for camera, truth in truths.items():
        sinks[camera].close()
        lines = (out / f"{camera}.alerts.jsonl").read_text().splitlines()
        records = [json.loads(line) for line in lines if line]
        summary = score(truth, records, metrics[camera].faces_seen)
        runs.append(
            summary
            | {
                "processed_share": metrics[camera].processed_share,
                "found_latencies_s": _latencies(truth, records),
            }
        )
    detections = sum(
        s.value
        for m in telemetry.registry.collect()
        if m.name == "openlfr_detection_seconds"
        for s in m.samples
        if s.name.endswith("_count")
    )
    return {
        "cameras": len(folders),
        "threshold": settings.threshold,
        **pooled(runs),
        "processed_share_mean": round(float(np.mean([r["processed_share"] for r in runs])), 3),
        "detections_per_camera_second": round(detections / wall / len(folders), 1),
        "cores_busy": round(cpu / wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--cameras", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--threshold", type=float, default=0.0, help="0: calibrated")
    parser.add_argument("--full-every", type=int, default=1)
    parser.add_argument("--mirror", action="store_true", help="two forwards per live probe")
    parser.add_argument("--max-templates", type=int, default=ShotPolicy.max_templates)
    parser.add_argument("--out", type=Path, default=Path("var/bench/capacity"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = EngineSettings(
        threshold=args.threshold,
        scan=ScanPolicy(full_every=args.full_every),
        shots=replace(ShotPolicy(), mirror=args.mirror, max_templates=args.max_templates),
    )
    variant = {
        "full_every": args.full_every,
        "mirror": args.mirror,
        "max_templates": args.max_templates,
    }
    print(json.dumps({"floor": floor(args.folders[0] / "walkpast.mp4", settings.detect_side)}))
    for count in args.cameras:
        result = run(args.folders[:count], settings, args.out)
        print(json.dumps(variant | result), flush=True)


if __name__ == "__main__":
    main()
