"""Protocol LFR-VID-1: the live engine on a video with ground truth, scored from two files.

The engine runs as it would live (real-time pacing by default: it drops late frames and never
queues them) and writes every alert as `{"subject", "score", "frame", "emitted_at_frame",
"track"}`; `score` recomputes the figures from those records and the truth file alone, so any
other scorer can check them."""

from __future__ import annotations

import hashlib
import json
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from openlfr.biometrics.engine import EnrolmentError, FaceEngine
from openlfr.biometrics.imageio import ImageError, load_image
from openlfr.biometrics.index import TemplateIndex
from openlfr.domain.deployment import DeploymentId
from openlfr.live.desk import AlertDesk, JsonlAlertSink
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import EvaluationGate
from openlfr.live.matcher import FrozenWatchlist
from openlfr.live.sources import VideoFile

#: An alert counts for an appearance up to this long after its last frame (LFR-VID-1).
GRACE_SECONDS = 2.0
EVAL_START = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Appearance:
    subject: str | None
    first_frame: int
    last_frame: int


@dataclass(frozen=True)
class Truth:
    video: Path
    fps: float
    frame_count: int
    watchlist: dict[str, list[Path]]
    appearances: list[Appearance]


def load_truth(path: Path) -> Truth:
    raw = json.loads(path.read_text())
    base = path.parent
    return Truth(
        video=base / raw["video"],
        fps=float(raw["fps"]),
        frame_count=int(raw["frame_count"]),
        watchlist={s: [base / p for p in paths] for s, paths in raw["watchlist"].items()},
        appearances=[Appearance(**a) for a in raw["appearances"]],
    )


def enrol(watchlist: dict[str, list[Path]], faces: FaceEngine) -> tuple[FrozenWatchlist, int]:
    """Enrolment templates (the strict enrolment check, else the largest usable face, as
    LFR-ID-1 does); returns the watchlist and the number of images that gave no face."""
    subjects: list[str] = []
    templates: list[np.ndarray] = []
    failed = 0
    for subject in sorted(watchlist):
        for path in watchlist[subject]:
            template: np.ndarray | None
            try:
                image = load_image(path)
                template = faces.enrol(image).template
            except EnrolmentError:
                sample = faces.main_face(image, probe=False)
                template = sample.template if sample is not None else None
            except ImageError:
                template = None
            if template is None:
                failed += 1
                continue
            subjects.append(subject)
            templates.append(template)
    matrix = np.vstack(templates) if templates else np.zeros((0, 128), np.float32)
    digest = hashlib.sha256(json.dumps(subjects).encode() + matrix.tobytes()).hexdigest()
    return FrozenWatchlist(TemplateIndex(subjects, matrix), f"sha256:{digest}"), failed


def run(truth: Truth, out: Path, settings: EngineSettings, camera: str = "cam-1") -> dict[str, Any]:
    """Play the video as a camera, write `alerts.jsonl` and `summary.json`, return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    watchlist, failed = enrol(truth.watchlist, FaceEngine())
    alerts_path = out / "alerts.jsonl"
    alerts_path.unlink(missing_ok=True)
    sink = JsonlAlertSink(alerts_path)
    gate = EvaluationGate(EVAL_START + timedelta(days=1))
    source = VideoFile(truth.video, settings.pacing)
    engine = LiveEngine(
        {camera: source},
        watchlist,
        AlertDesk(DeploymentId("evaluation"), sink),
        gate,
        settings,
        EVAL_START,
    )
    metrics = engine.run()[camera]
    sink.close()
    if camera in engine.errors:
        raise engine.errors[camera]
    records = [json.loads(line) for line in alerts_path.read_text().splitlines() if line]
    summary = score(truth, records, metrics.faces_seen)
    summary |= {
        "protocol": "LFR-VID-1",
        "threshold": settings.threshold,
        "pacing": settings.pacing.value,
        "enrolment_failures": failed,
        "frames_processed": metrics.frames_processed,
        "frames_dropped": metrics.frames_dropped,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def score(truth: Truth, alerts: list[dict[str, Any]], faces_seen: int) -> dict[str, Any]:
    """The LFR-VID-1 figures from the alert records and the truth alone."""
    grace = round(GRACE_SECONDS * truth.fps)

    def during(alert: dict[str, Any], appearance: Appearance) -> bool:
        frame = int(alert["emitted_at_frame"])
        return (
            alert["subject"] == appearance.subject
            and appearance.first_frame <= frame <= appearance.last_frame + grace
        )

    listed = [a for a in truth.appearances if a.subject is not None]
    found, duplicates, latencies = 0, 0, []
    for appearance in listed:
        hits = sorted(a["emitted_at_frame"] for a in alerts if during(a, appearance))
        if hits:
            found += 1
            duplicates += len(hits) - 1
            latencies.append((hits[0] - appearance.first_frame) / truth.fps)
    false = [a for a in alerts if not any(during(a, ap) for ap in truth.appearances)]
    passers_by = len(truth.appearances)
    return {
        "watchlisted_appearances": len(listed),
        "found": found,
        "tpir": found / len(listed) if listed else None,
        "alerts": len(alerts),
        "false_alerts": len(false),
        "false_alerts_per_1000_passers_by": 1000 * len(false) / passers_by if passers_by else None,
        "duplicate_alerts": duplicates,
        "latency_median_s": statistics.median(latencies) if latencies else None,
        "latency_p95_s": float(np.percentile(latencies, 95)) if latencies else None,
        "faces_seen": faces_seen,
        "passers_by_truth": passers_by,
    }
