"""Speed of each stage of the face engine on this machine.

Detection at three frame sizes, one template, exact search at 10k / 100k / 1M templates, and
enrolment throughput of 10,000 photos on every core. Prints one JSON object per measurement.
Usage: python bench/stages.py [--enrol-count 10000]   (reads $OPENLFR_DATA, default ../shared/data)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from pathlib import Path

import cv2
import numpy as np

from openlfr.biometrics.batch import default_workers, enrol_stills
from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.index import TemplateIndex
from openlfr.biometrics.quality import LIVE_PROBE, assess

DATA = Path(os.environ.get("OPENLFR_DATA", Path(__file__).resolve().parents[2] / "shared/data"))


def _ms(seconds: float, count: int) -> float:
    return round(1000 * seconds / count, 2)


def _timed(function, repeats: int) -> float:  # type: ignore[no-untyped-def]
    function()  # warm up
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return _ms(time.perf_counter() - start, repeats)


def detection(engine: FaceEngine, threads: int) -> None:
    capture = cv2.VideoCapture(str(DATA / "video/crowd-1080p/crowd.mp4"))
    ok, frame = capture.read()
    assert ok, "crowd clip not readable"
    cv2.setNumThreads(threads)
    for width, height in ((640, 360), (1280, 720), (1920, 1080)):
        scaled = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
        faces = engine.detect(scaled)
        report(
            stage="detect",
            frame=f"{width}x{height}",
            threads=threads,
            faces=len(faces),
            ms=_timed(lambda scaled=scaled: engine.detect(scaled), 20),
        )
    face = max(faces, key=lambda f: f.score)
    aligned = engine.embedder.align(scaled, face)
    report(
        stage="probe template (mirror-averaged)",
        threads=threads,
        ms=_timed(lambda: engine.embedder.embed(aligned, probe=True), 30),
    )
    report(
        stage="enrolment template (one pass)",
        threads=threads,
        ms=_timed(lambda: engine.embedder.embed(aligned, probe=False), 30),
    )
    report(
        stage="align+quality",
        threads=threads,
        ms=_timed(lambda: assess(face, engine.embedder.align(scaled, face), LIVE_PROBE), 30),
    )


def search() -> None:
    rng = np.random.default_rng(1)
    probe = rng.normal(size=(1, 128)).astype(np.float32)
    batch = rng.normal(size=(100, 128)).astype(np.float32)
    for size in (10_000, 100_000, 1_000_000):
        gallery = rng.normal(size=(size, 128)).astype(np.float32)
        gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
        index = TemplateIndex([f"s{i}" for i in range(size)], gallery)
        report(stage="search", templates=size, ms=_timed(lambda i=index: i.search(probe, 5), 20))
        per_probe = _timed(lambda i=index: i.search(batch, 5), 3) / len(batch)
        report(stage="search, 100 probes at once", templates=size, ms_per_probe=round(per_probe, 2))


def enrolment(count: int) -> None:
    photos = sorted((DATA / "lfw-dev").glob("*/*.jpg"))
    paths = list(itertools.islice(itertools.cycle(photos), count))
    start = time.perf_counter()
    results = list(enrol_stills(paths))
    seconds = time.perf_counter() - start
    report(
        stage="enrol",
        photos=count,
        workers=default_workers(),
        accepted=sum(1 for r in results if r.sample is not None),
        seconds=round(seconds, 1),
        ms_per_photo=_ms(seconds, count),
    )


def report(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enrol-count", type=int, default=10_000)
    args = parser.parse_args()
    engine = FaceEngine()
    for threads in (1, 2):
        detection(engine, threads)
    search()
    if args.enrol_count:
        enrolment(args.enrol_count)


if __name__ == "__main__":
    main()
