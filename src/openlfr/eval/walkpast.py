"""A synthetic walk-past video with LFR-VID-1 ground truth, from a labelled photo folder.

For system tests before a deployment and for benchmarks: faces cut from photos (one subfolder
per person) cross a plain background, growing as they approach the camera. Watchlisted people
walk past in a photo that is never their enrolment photo; the watchlist also holds people who
never pass. Faces are floating heads that never turn: a plumbing and regression check, not a
field accuracy."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.imageio import ImageError, load_image

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
#: Centre to centre distance of two people walking side by side, in face heights.
PAIR_SPACING = 2.2


@dataclass(frozen=True)
class WalkpastSpec:
    seconds: float = 30.0
    fps: float = 25.0
    size: tuple[int, int] = (1280, 720)
    watchlisted: int = 4
    watchlist_size: int = 20
    seed: int = 7
    face_heights: tuple[float, float] = (60.0, 160.0)
    walk_seconds: tuple[float, float] = (2.0, 3.0)
    lanes: int = 1
    """Independent streams of walkers crossing at once (a busier street)."""
    pairs: float = 0.0
    """Share of the walks made by two people side by side (their faces 2.2 face heights apart,
    so the tracker and the alert must keep them apart)."""


def _people(folder: Path) -> dict[str, list[Path]]:
    return {
        d.name: sorted(p for p in d.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for d in sorted(folder.iterdir())
        if d.is_dir()
    }


def _head(path: Path, faces: FaceEngine) -> np.ndarray | None:
    """The face and some margin, with an elliptical alpha mask (BGRA), or None."""
    try:
        image = load_image(path)
    except ImageError:
        return None
    sample = faces.main_face(image, probe=False)
    if sample is None:
        return None
    cx, cy = sample.face.centre
    side = sample.face.height * 1.7
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    crop = image[y0 : int(cy + side / 2), x0 : int(cx + side / 2)]
    mask = np.zeros(crop.shape[:2], np.uint8)
    h, w = crop.shape[:2]
    cv2.ellipse(mask, (w // 2, h // 2), (int(w * 0.4), int(h * 0.48)), 0, 0, 360, 255, -1)
    return np.dstack([crop, cv2.GaussianBlur(mask, (0, 0), max(1, w // 30))])


def _background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    low = rng.integers(40, 200, (9, 16, 3), dtype=np.uint8)
    return cv2.GaussianBlur(
        cv2.resize(low, (width, height), interpolation=cv2.INTER_CUBIC), (0, 0), 25
    )


def _paste(frame: np.ndarray, head: np.ndarray, centre: tuple[float, float], height: float) -> None:
    scale = height * 1.7 / head.shape[0]
    patch = cv2.resize(head, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ph, pw = patch.shape[:2]
    x0, y0 = int(centre[0] - pw / 2), int(centre[1] - ph / 2)
    fx0, fy0 = max(0, x0), max(0, y0)
    fx1, fy1 = min(frame.shape[1], x0 + pw), min(frame.shape[0], y0 + ph)
    if fx1 <= fx0 or fy1 <= fy0:
        return
    part = patch[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0]
    alpha = part[..., 3:4].astype(np.float32) / 255
    region = frame[fy0:fy1, fx0:fx1]
    region[:] = (part[..., :3] * alpha + region * (1 - alpha)).astype(np.uint8)


def _group(
    walkers: list[tuple[str | None, np.ndarray]], pairs: float, pick: random.Random
) -> list[list[tuple[str | None, np.ndarray]]]:
    """Walkers alone or two by two, so that about `pairs` of the walks are by two people."""
    groups: list[list[tuple[str | None, np.ndarray]]] = []
    queue = list(walkers)
    while queue:
        size = 2 if pairs > 0 and len(queue) >= 2 and pick.random() < pairs else 1
        groups.append(queue[:size])
        queue = queue[size:]
    return groups


def build(
    photos: Path,
    out: Path,
    spec: WalkpastSpec | None = None,
    enrolment: dict[str, Path] | None = None,
) -> dict[str, Any]:
    """Write walkpast.mp4, truth.json and watchlist/ into `out`; returns the truth.

    `enrolment` (person folder name -> enrolment photo) chooses the watchlist instead of a
    seeded draw of `spec.watchlist_size` people enrolled from their first photo; the first
    `spec.watchlisted` of them walk past in a photo that is not their enrolment one."""
    spec = spec or WalkpastSpec()
    rng, pick = np.random.default_rng(spec.seed), random.Random(spec.seed)
    faces, people = FaceEngine(), _people(photos)
    if enrolment is None:
        multi = [name for name, paths in people.items() if len(paths) >= 2]
        pick.shuffle(multi)
        enrolment = {name: people[name][0] for name in multi[: spec.watchlist_size]}
    listed = list(enrolment)
    walkers: list[tuple[str | None, np.ndarray]] = []
    for name in listed[: spec.watchlisted]:
        others = [p for p in people.get(name, []) if p.name != enrolment[name].name]
        if others and (head := _head(others[0], faces)) is not None:
            walkers.append((name, head))
    passers = [n for n in people if n not in listed]
    pick.shuffle(passers)
    total = round(spec.seconds * spec.fps)
    mean_walk = sum(spec.walk_seconds) / 2 * spec.fps
    walks = int(total / mean_walk) * spec.lanes
    people_walking = round(walks * (1 + spec.pairs))
    for name in passers[: max(0, people_walking - len(walkers))]:
        if (head := _head(people[name][0], faces)) is not None:
            walkers.append((None, head))
    pick.shuffle(walkers)
    groups = _group(walkers, spec.pairs, pick)

    out.mkdir(parents=True, exist_ok=True)
    watchlist: dict[str, list[str]] = {}
    for name in listed:
        target = out / "watchlist" / name / enrolment[name].name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(enrolment[name], target)
        watchlist[name] = [str(target.relative_to(out))]

    width, height = spec.size
    plans, starts = [], [10 + round(lane * mean_walk / spec.lanes) for lane in range(spec.lanes)]
    for number, group in enumerate(groups):
        start, length = (
            starts[number % spec.lanes],
            round(pick.uniform(*spec.walk_seconds) * spec.fps),
        )
        x_from, x_to = pick.uniform(0.15, 0.85) * width, pick.uniform(0.15, 0.85) * width
        for place, (subject, head) in enumerate(group):
            side = (place - (len(group) - 1) / 2) * PAIR_SPACING
            plans.append((subject, head, start, start + length - 1, x_from, x_to, side))
        starts[number % spec.lanes] += round(length * pick.uniform(0.7, 1.1))
    writer = cv2.VideoWriter(
        str(out / "walkpast.mp4"), cv2.VideoWriter.fourcc(*"mp4v"), spec.fps, spec.size
    )
    background = _background(spec.size, rng)
    small, big = spec.face_heights
    for index in range(total):
        frame = background.copy()
        for _subject, head, first, last, x_from, x_to, side in plans:
            if first <= index <= last:
                t = (index - first) / max(1, last - first)
                face_height = small + (big - small) * t
                x = x_from + (x_to - x_from) * t + side * face_height
                _paste(frame, head, (x, height * (0.35 + 0.15 * t)), face_height)
        writer.write(frame)
    writer.release()
    truth = {
        "video": "walkpast.mp4",
        "fps": spec.fps,
        "frame_count": total,
        "watchlist": watchlist,
        "appearances": [
            {"subject": s, "first_frame": f, "last_frame": min(last, total - 1)}
            for s, _h, f, last, *_ in plans
            if f < total
        ],
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1))
    return truth
