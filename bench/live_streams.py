"""Benchmark: N copies of the 1080p crowd clip, looped, as real-time cameras on this machine.

Reports, per camera, the share of frames processed (the rest were dropped because the pipeline
was late, never queued), faces seen and alerts. Real-time pacing, as `openlfr live run`.

    python bench/live_streams.py --streams 2 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import enrol, load_truth
from openlfr.live.desk import AlertDesk, JsonlAlertSink
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import EvaluationGate
from openlfr.live.sources import Pacing, VideoFile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--detect-side", type=int, default=640)
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("OPENLFR_DATA", "../shared/data"))
    )
    parser.add_argument("--out", type=Path, default=Path("var/bench/live_streams"))
    args = parser.parse_args()
    watchlist, _ = enrol(load_truth(args.data / "walkpast-dev/truth.json").watchlist, FaceEngine())
    clip = args.data / "video/crowd-1080p/crowd.mp4"
    start = datetime.now(UTC)
    engine = LiveEngine(
        {f"cam-{i + 1}": VideoFile(clip, Pacing.REALTIME, loop=True) for i in range(args.streams)},
        watchlist,
        AlertDesk("benchmark", JsonlAlertSink(args.out / "alerts.jsonl")),
        EvaluationGate(start + timedelta(days=1)),
        EngineSettings(threshold=0.45, detect_side=args.detect_side),
        start,
    )
    engine.start()
    threading.Timer(args.seconds, engine.stop, ("benchmark over",)).start()
    engine.join()
    report = {
        camera: {
            "frames_processed": m.frames_processed,
            "frames_dropped": m.frames_dropped,
            "processed_share": round(m.processed_share, 3),
            "faces_seen": m.faces_seen,
            "alerts": m.alerts,
        }
        for camera, m in engine.metrics.items()
    }
    print(
        json.dumps(
            {
                "streams": args.streams,
                "seconds": args.seconds,
                "cpus": os.cpu_count(),
                "cameras": report,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
