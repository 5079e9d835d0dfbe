"""Where LFR-ID-1 accuracy is won or lost: each choice of the template recipe measured alone.

For every image of the protocol's split, computes once (and caches under var/) the raw SFace
outputs of every variant: which detected face is the subject (the largest, or the one nearest
the image centre), how it is aligned (LMEDS partial affine, the recipe shipped before; or the
least-squares similarity that OpenCV's `FaceRecognizerSF.alignCrop` uses), plain and mirrored,
plus the face's quality. Then scores LFR-ID-1 for each recipe, with and without the LFW
label-noise identities (bench/lfw_label_noise.txt), and prints one JSON line per recipe.

    python bench/id_ablation.py ../shared/data/lfw-dev [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from openlfr.biometrics.detector import MIN_RECOGNITION_SCORE, Face, FaceDetector
from openlfr.biometrics.embedder import CANONICAL_LANDMARKS_112, OnnxEmbedder, similarity_matrix
from openlfr.biometrics.engine import STILL_FACE_PX
from openlfr.biometrics.imageio import load_image
from openlfr.biometrics.quality import assess
from openlfr.eval.identification import Split, read_identities, score, split_folder

HERE = Path(__file__).resolve().parent
ALIGNMENTS = ("lmeds", "similarity")
SUBJECTS = ("largest", "centre")


_detector: FaceDetector | None = None
_embedder: OnnxEmbedder | None = None


def _start() -> None:
    global _detector, _embedder
    cv2.setNumThreads(1)
    _detector, _embedder = FaceDetector(), OnnxEmbedder()


def _warp(image: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return cv2.warpAffine(image, matrix, (112, 112), flags=cv2.INTER_LINEAR)


def _lmeds(image: np.ndarray, face: Face) -> np.ndarray:
    matrix, _ = cv2.estimateAffinePartial2D(
        face.landmarks.astype(np.float32), CANONICAL_LANDMARKS_112, method=cv2.LMEDS
    )
    return _warp(image, matrix)


def _similarity(image: np.ndarray, face: Face) -> np.ndarray:
    return _warp(image, similarity_matrix(face.landmarks, CANONICAL_LANDMARKS_112))


def _zoomed(factor: float) -> Callable[[np.ndarray, Face], np.ndarray]:
    """The canonical landmarks scaled about the crop centre: the face a little larger or
    smaller in the crop (test-time augmentation)."""
    target = (CANONICAL_LANDMARKS_112 - 56.0) * factor + 56.0

    def align(image: np.ndarray, face: Face) -> np.ndarray:
        return _warp(image, similarity_matrix(face.landmarks, target))

    return align


def _refined(image: np.ndarray, face: Face) -> np.ndarray:
    """Landmarks from the face detected again at 200 px (what `FaceEngine.sample` ships)."""
    assert _detector is not None
    return _similarity(image, _detector.refine(image, face, STILL_FACE_PX) or face)


ALIGN: dict[str, Callable[[np.ndarray, Face], np.ndarray]] = {
    "lmeds": _lmeds,
    "similarity": _similarity,
    "zoom-0.95": _zoomed(0.95),
    "zoom-1.05": _zoomed(1.05),
    "refined": _refined,
}


def _outputs(image: np.ndarray, face: Face, alignments: list[str]) -> dict:
    assert _embedder is not None
    raw = {}
    for name in alignments:
        crop = ALIGN[name](image, face)
        raw[name] = (_embedder._forward(crop), _embedder._forward(cv2.flip(crop, 1)))
    return raw


def _image(job: tuple[Path, list[str], bool]) -> tuple[Path, dict[str, dict | None]]:
    """Per subject choice: {"raw": {alignment: (plain, mirrored)}, "quality": {...}}."""
    assert _detector is not None
    path, alignments, with_quality = job
    image = load_image(path)
    faces = [f for f in _detector.detect(image) if f.score >= MIN_RECOGNITION_SCORE]
    if not faces:
        return path, dict.fromkeys(SUBJECTS)
    height, width = image.shape[:2]
    centre = min(
        faces, key=lambda f: (f.centre[0] - width / 2) ** 2 + (f.centre[1] - height / 2) ** 2
    )
    shots: dict[str, dict | None] = {}
    for subject, face in (("largest", faces[0]), ("centre", centre)):
        if subject == "centre" and face is faces[0]:
            shots[subject] = shots["largest"]
            continue
        shot: dict = {"raw": _outputs(image, face, alignments)}
        if with_quality:
            report = assess(face, _similarity(image, face))
            shot["quality"] = {check.name: float(check.value) for check in report.checks}
        shots[subject] = shot
    return path, shots


def cached_shots(paths: list[Path], cache: Path, workers: int) -> dict[Path, dict]:
    """Every image's outputs for every alignment in ALIGN, computing only what is missing."""
    known: dict[Path, dict] = pickle.loads(cache.read_bytes()) if cache.is_file() else {}
    jobs = []
    for path in paths:
        shots = known.get(path)
        shot = None if shots is None else shots["largest"]
        missing = list(ALIGN) if shots is None else [a for a in ALIGN if a not in shot["raw"]]
        if shots is None or (shot is not None and missing):
            jobs.append((path, missing, shots is None))
    if jobs:
        with multiprocessing.get_context("spawn").Pool(workers, initializer=_start) as pool:
            for count, (path, shots) in enumerate(pool.imap(_image, jobs, chunksize=16), 1):
                if path not in known:
                    known[path] = shots
                else:
                    for subject in SUBJECTS:
                        old, new = known[path][subject], shots[subject]
                        if old is not None and new is not None and old is not new:
                            old["raw"].update(new["raw"])
                if count % 500 == 0:
                    print(json.dumps({"computed": count, "of": len(jobs)}), flush=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(known))
    return known


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


@dataclass(frozen=True)
class Recipe:
    name: str
    subject: str = "centre"
    alignments: tuple[str, ...] = ("refined",)
    mirror_enrolment: bool = True
    mirror_probes: bool = True
    adjust: str = ""
    """"normalised" or "quality": a score adjustment measured on top (see ADJUST)."""

    def template(self, shot: dict, enrolment: bool) -> np.ndarray:
        mirror = self.mirror_enrolment if enrolment else self.mirror_probes
        total = np.zeros(128, np.float32)
        for alignment in self.alignments:
            plain, mirrored = shot["raw"][alignment]
            total += _unit(plain) + (_unit(mirrored) if mirror else 0)
        return _unit(total)


def _normalised(scores: np.ndarray, _probes: list, cohort: int = 10) -> np.ndarray:
    """Each probe's scores shifted by how far its cohort (its 2nd to 11th best subjects)
    scores above the typical probe's: a probe that resembles everyone is taken down."""
    level = np.sort(scores, axis=1)[:, -cohort - 1 : -1].mean(axis=1, keepdims=True)
    return scores - (level - np.median(level))


def _quality_weighted(shots: dict[Path, dict], subject: str) -> Callable:
    """Scores of a blurred or poorly detected probe lowered by up to 0.05."""

    def adjust(scores: np.ndarray, probes: list) -> np.ndarray:
        quality = np.array(
            [
                min(1.0, q["sharpness"] / 60.0) * min(1.0, (q["detector_score"] - 0.5) / 0.4)
                for q in (shots[p.path][subject]["quality"] for p in probes)
            ]
        )
        return scores - 0.05 * (1.0 - quality)[:, None]

    return adjust


FINAL = Recipe("shipped now: centre, refined landmarks, similarity, mirror both sides")
RECIPES = (
    Recipe("shipped before: largest, LMEDS, mirror on probes", "largest", ("lmeds",), False),
    Recipe("centre face, LMEDS, mirror on probes", "centre", ("lmeds",), False),
    Recipe("largest face, similarity, mirror on probes", "largest", ("similarity",), False),
    Recipe("centre, similarity, mirror on probes", "centre", ("similarity",), False),
    Recipe(
        "centre, similarity, plain (the OpenCV baseline)", "centre", ("similarity",), False, False
    ),
    Recipe("centre, similarity, mirror both sides", "centre", ("similarity",)),
    FINAL,
    Recipe("final without the probe's mirror", mirror_probes=False),
    Recipe("final without any mirror", mirror_enrolment=False, mirror_probes=False),
    Recipe(
        "final with a zoom 0.95/1.05 average (3x the forwards)",
        alignments=("refined", "zoom-0.95", "zoom-1.05"),
    ),
    Recipe("final + score normalisation over the watchlist", adjust="normalised"),
    Recipe("final + quality-weighted scores", adjust="quality"),
)


def templates_for(split: Split, shots: dict[Path, dict], recipe: Recipe) -> dict[Path, np.ndarray]:
    enrolled = set(split.enrolment.values())
    templates = {}
    for path, _probe in split.images:
        shot = shots[path][recipe.subject]
        if shot is not None:
            templates[path] = recipe.template(shot, path in enrolled)
    return templates


def figures(summary: dict) -> dict:
    tar = summary["per_comparison"]["tar_at_far"]
    tpir = summary["tpir_at_fpir"]
    return {
        "rank1": round(summary["rank1"], 4),
        "tpir_fpir_1e-2": tpir["1e-2"]["tpir"],
        "tpir_fpir_1e-3": tpir["1e-3"]["tpir"],
        **{f"tar_far_{k}": v["tar"] for k, v in tar.items()},
        **{f"t_far_{k}": v["threshold"] for k, v in tar.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path("var/bench/id_ablation/shots.pickle"))
    parser.add_argument("--exclude", type=Path, default=HERE / "lfw_label_noise.txt")
    args = parser.parse_args()
    folder = args.folder.resolve()
    splits = {
        "all": split_folder(folder),
        "clean": split_folder(folder, read_identities(args.exclude)),
    }
    paths = sorted({p for split in splits.values() for p, _ in split.images})
    shots = cached_shots(paths, args.cache, args.workers)
    for recipe in RECIPES:
        for label, split in splits.items():
            adjust = {
                "": None,
                "normalised": _normalised,
                "quality": _quality_weighted(shots, recipe.subject),
            }[recipe.adjust]
            templates = templates_for(split, shots, recipe)
            summary = score(split, templates, recipe.name, {}, adjust=adjust).summary
            print(json.dumps({"recipe": recipe.name, "identities": label, **figures(summary)}))


if __name__ == "__main__":
    main()
