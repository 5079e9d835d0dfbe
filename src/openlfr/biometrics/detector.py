"""Face detection with YuNet: boxes, five landmarks and a score, on frames of any size."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

from openlfr.biometrics.models import YUNET, ModelFile

#: Below this score YuNet produces large false boxes; no such face is enrolled or searched.
MIN_RECOGNITION_SCORE = 0.8


@dataclass(frozen=True)
class Face:
    """One detected face in image coordinates.

    Landmarks: right eye, left eye, nose tip, right and left mouth corners."""

    box: tuple[float, float, float, float]  # x, y, width, height
    landmarks: np.ndarray  # shape (5, 2)
    score: float

    @property
    def height(self) -> float:
        return self.box[3]

    @property
    def centre(self) -> tuple[float, float]:
        x, y, w, h = self.box
        return x + w / 2, y + h / 2

    def as_yunet_row(self) -> np.ndarray:
        """The 15-number layout OpenCV's aligner expects."""
        return np.concatenate(
            [np.asarray(self.box), self.landmarks.reshape(-1), [self.score]]
        ).astype(np.float32)


class FaceDetector:
    """YuNet, resized per frame. Not thread-safe: give each thread or process its own.

    YuNet finds faces up to about 250 px high well and scores larger ones poorly, so a large
    image is searched twice: at up to `max_side` for small faces and at `coarse_side` for large
    ones, keeping the better-scored box where the two overlap. Resizing a YuNet net costs more
    than running it, so a few nets are kept, one per input size (the two passes of a video).
    """

    NETS_KEPT = 4

    def __init__(
        self,
        model: ModelFile = YUNET,
        *,
        score_threshold: float = 0.5,
        max_side: int = 1920,
        coarse_side: int | None = 640,
    ) -> None:
        self._path = str(model.locate())
        self.score_threshold = score_threshold
        self.max_side = max_side
        self.coarse_side = coarse_side
        self._nets: OrderedDict[tuple[int, int], cv2.FaceDetectorYN] = OrderedDict()

    def detect(self, image: np.ndarray) -> list[Face]:
        """Faces in `image` (BGR), largest first, in the image's own coordinates."""
        longest = max(image.shape[:2])
        faces = self._detect_at(image, min(1.0, self.max_side / longest))
        if self.coarse_side and longest > 1.5 * self.coarse_side:
            faces = _suppress_overlaps(faces + self._detect_at(image, self.coarse_side / longest))
        return sorted(faces, key=lambda face: face.box[2] * face.box[3], reverse=True)

    def refine(self, image: np.ndarray, face: Face, face_px: float = 64.0) -> Face | None:
        """The face found again in the square region around it (2.5 face sizes), scaled so the
        face is about `face_px` high: YuNet places landmarks best on faces of 60-200 px, so a
        face seen small on a downscaled frame, or a small face in a still, gets the score and
        landmarks it has at that size. None if it is not found there."""
        x, y, w, h = face.box
        half = 1.25 * max(w, h)
        cx, cy = x + w / 2, y + h / 2
        left, top = int(max(0, cx - half)), int(max(0, cy - half))
        right = int(min(image.shape[1], cx + half))
        bottom = int(min(image.shape[0], cy + half))
        if right - left < 8 or bottom - top < 8:
            return None
        side = max(32, round(2.5 * face_px))
        scale = side / (2 * half)
        crop = image[top:bottom, left:right]
        size = (
            min(side, max(1, round(crop.shape[1] * scale))),
            min(side, max(1, round(crop.shape[0] * scale))),
        )
        region = np.zeros((side, side, 3), np.uint8)
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        region[: size[1], : size[0]] = cv2.resize(crop, size, interpolation=interpolation)
        _, rows = self._net_for((side, side)).detect(region)
        if rows is None:
            return None
        origin = np.array([left, top], np.float32)
        found = [
            Face(
                box=(
                    float(row[0]) / scale + left,
                    float(row[1]) / scale + top,
                    float(row[2]) / scale,
                    float(row[3]) / scale,
                ),
                landmarks=(row[4:14].reshape(5, 2) / scale + origin).astype(np.float32),
                score=float(row[14]),
            )
            for row in rows
        ]
        best = max(found, key=lambda f: _iou(f, face))
        return best if _iou(best, face) >= 0.3 else None

    def _detect_at(self, image: np.ndarray, scale: float) -> list[Face]:
        work = image
        if scale < 1.0:
            height, width = image.shape[:2]
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            work = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        _, rows = self._net_for((work.shape[1], work.shape[0])).detect(work)
        if rows is None:
            return []
        return [
            Face(
                box=tuple(float(v) / scale for v in row[:4]),  # type: ignore[arg-type]
                landmarks=(row[4:14].reshape(5, 2) / scale).astype(np.float32),
                score=float(row[14]),
            )
            for row in rows
        ]

    def _net_for(self, size: tuple[int, int]) -> cv2.FaceDetectorYN:
        net = self._nets.pop(size, None)
        if net is None:
            net = cv2.FaceDetectorYN.create(self._path, "", size, self.score_threshold, 0.3, 5000)
            while len(self._nets) >= self.NETS_KEPT:
                self._nets.popitem(last=False)
        self._nets[size] = net
        return net


def _iou(a: Face, b: Face) -> float:
    ax, ay, aw, ah = a.box
    bx, by, bw, bh = b.box
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = w * h
    return inter / (aw * ah + bw * bh - inter) if inter > 0 else 0.0


def _suppress_overlaps(faces: list[Face], limit: float = 0.3) -> list[Face]:
    """Keep the best-scored of each group of overlapping boxes."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: f.score, reverse=True):
        if all(_iou(face, other) < limit for other in kept):
            kept.append(face)
    return kept
