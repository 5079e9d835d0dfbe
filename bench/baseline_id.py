"""LFR-ID-1 for OpenLFR and for the plain SFace stack anyone gets from OpenCV, on the same
folder in the same run, with and without the LFW label-noise identities.

The plain stack, with the same bundled model files: YuNet (input the image's size, score >= 0.8),
the detected face whose box centre is nearest the image centre, `cv2.FaceRecognizerSF.alignCrop`
and `feature`, cosine score, one template per image. OpenLFR: exactly what
`openlfr eval identification` runs (`biometrics.batch.main_faces`, `eval.identification.score`).
Prints one JSON line per (stack, identities) and a Markdown table for docs/BENCHMARKS.md.

    python bench/baseline_id.py ../shared/data/lfw-dev [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from openlfr import __version__
from openlfr.biometrics.batch import main_faces
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.biometrics.imageio import load_image
from openlfr.biometrics.models import SFACE, YUNET
from openlfr.eval.identification import Split, read_identities, score, split_folder

HERE = Path(__file__).resolve().parent
FIGURES = (
    ("rank-1", lambda s: s["rank1"]),
    ("TPIR @ FPIR 1e-2", lambda s: s["tpir_at_fpir"]["1e-2"]["tpir"]),
    ("TPIR @ FPIR 1e-3", lambda s: s["tpir_at_fpir"]["1e-3"]["tpir"]),
    ("TAR @ FAR 1e-4", lambda s: s["per_comparison"]["tar_at_far"]["1e-04"]["tar"]),
    ("TAR @ FAR 1e-5", lambda s: s["per_comparison"]["tar_at_far"]["1e-05"]["tar"]),
    ("TAR @ FAR 1e-6", lambda s: s["per_comparison"]["tar_at_far"]["1e-06"]["tar"]),
)

_recogniser: cv2.FaceRecognizerSF | None = None


def _start() -> None:
    global _recogniser
    cv2.setNumThreads(1)
    _recogniser = cv2.FaceRecognizerSF.create(str(SFACE.locate()), "")


def _plain(path: Path) -> tuple[Path, np.ndarray | None]:
    """The plain stack's template of one image, or None when no face scores 0.8."""
    assert _recogniser is not None
    image = load_image(path)
    height, width = image.shape[:2]
    detector = cv2.FaceDetectorYN.create(str(YUNET.locate()), "", (width, height), 0.8, 0.3, 5000)
    _, rows = detector.detect(image)
    if rows is None:
        return path, None
    centre = min(
        rows, key=lambda r: (r[0] + r[2] / 2 - width / 2) ** 2 + (r[1] + r[3] / 2 - height / 2) ** 2
    )
    feature = _recogniser.feature(_recogniser.alignCrop(image, centre)).reshape(-1)
    return path, feature / np.linalg.norm(feature)


def baseline_templates(paths: list[Path], workers: int) -> dict[Path, np.ndarray]:
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_start) as pool:
        return {p: t for p, t in pool.imap(_plain, paths, chunksize=16) if t is not None}


def openlfr_templates(images: list[tuple[Path, bool]], workers: int) -> dict[Path, np.ndarray]:
    return {r.path: r.sample.template for r in main_faces(images, workers) if r.sample is not None}


def provenance(label: str) -> dict[str, str]:
    gallery = "lfw-dev" + (
        "" if label == "all" else " without the label-noise identities of bench/lfw_label_noise.txt"
    )
    return {
        "protocol": "LFR-ID-1, every probe x enrolment pair",
        "gallery": gallery,
        "recipe": "face nearest the centre, landmarks detected again at 200 px, least-squares "
        "similarity alignment, mirror-averaged templates on both sides",
        "measured": datetime.now(UTC).date().isoformat(),
        "openlfr": __version__,
    }


def table(rows: dict[str, dict[str, dict]]) -> str:
    """Markdown: one column per (stack, identities), one row per figure."""
    columns = [(stack, label) for label in ("all", "clean") for stack in rows]
    head = "| figure | " + " | ".join(f"{stack}, {label}" for stack, label in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|"]
    for name, read in FIGURES:
        cells = []
        for stack, label in columns:
            value = read(rows[stack][label])
            cells.append("n/a" if value is None else f"{100 * value:.2f}%")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exclude", type=Path, default=HERE / "lfw_label_noise.txt")
    parser.add_argument("--out", type=Path, default=Path("var/bench/baseline_id"))
    args = parser.parse_args()
    splits: dict[str, Split] = {
        "all": split_folder(args.folder),
        "clean": split_folder(args.folder, read_identities(args.exclude)),
    }
    # The shipped recipe templates probes and enrolments alike, so each image is done once.
    images = dict(image for split in splits.values() for image in split.images)
    stacks = {
        "OpenCV plain": baseline_templates(sorted(images), args.workers),
        "OpenLFR": openlfr_templates(sorted(images.items()), args.workers),
    }
    rows: dict[str, dict[str, dict]] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    for stack, templates in stacks.items():
        for label, split in splits.items():
            outcome = score(split, templates, SFACE_SPEC.model_id, provenance(label))
            rows.setdefault(stack, {})[label] = outcome.summary
            figures = {name: read(outcome.summary) for name, read in FIGURES}
            print(json.dumps({"stack": stack, "identities": label, **figures}), flush=True)
            name = f"{stack.split()[-1].lower()}-{label}"
            (args.out / f"{name}.summary.json").write_text(json.dumps(outcome.summary, indent=1))
            if stack == "OpenLFR" and label == "clean":
                calibration = outcome.calibration.to_json()
                (args.out / "calibration.json").write_text(json.dumps(calibration, indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
