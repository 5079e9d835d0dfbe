"""Which template recipe to ship: plain, mirror-averaged, or mirror-averaged on one side only.

Computes both templates of every LFR-ID-1 image of a folder once, then scores the protocol for
each recipe. Usage: python bench/template_variants.py ../shared/data/lfw-dev
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import cv2
import numpy as np

from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.imageio import load_image
from openlfr.eval.identification import score, split_folder

_engine: FaceEngine | None = None


def _start() -> None:
    global _engine
    cv2.setNumThreads(1)
    _engine = FaceEngine()


def _both(path: Path) -> tuple[Path, np.ndarray | None, np.ndarray | None]:
    assert _engine is not None
    sample = _engine.main_face(load_image(path), probe=False)
    if sample is None:
        return path, None, None
    aligned = _engine.embedder.align(load_image(path), sample.face)
    plain = _engine.embedder._forward(aligned)
    mirror = _engine.embedder._forward(cv2.flip(aligned, 1))
    return path, plain, mirror


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def main(folder: Path) -> None:
    split = split_folder(folder)
    with multiprocessing.get_context("spawn").Pool(2, initializer=_start) as pool:
        results = [r for r in pool.imap(_both, split.paths, chunksize=16) if r[1] is not None]
    plain = {p: _unit(a) for p, a, _ in results}
    flipped = {p: _unit(a + b) for p, a, b in results}
    enrolment = set(split.enrolment.values())
    recipes = {
        "plain": plain,
        "mirror-averaged": flipped,
        "mirror on enrolment only": {p: (flipped if p in enrolment else plain)[p] for p in plain},
        "mirror on probes only": {p: (plain if p in enrolment else flipped)[p] for p in plain},
    }
    for name, templates in recipes.items():
        summary = score(split, templates, name, {}).summary
        tar = summary["per_comparison"]["tar_at_far"]
        print(
            json.dumps(
                {
                    "recipe": name,
                    "rank1": round(summary["rank1"], 4),
                    "tar_far_1e-4": tar["1e-04"]["tar"],
                    "tar_far_1e-5": tar["1e-05"]["tar"],
                    "tpir_fpir_1e-2": summary["tpir_at_fpir"]["1e-2"]["tpir"],
                }
            )
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
