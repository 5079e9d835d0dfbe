"""Forgetting on purpose: a non-matched face must not outlive its comparison.

`wipe` overwrites a template or crop in place before the last reference is dropped, so the
pixels and numbers do not linger in freed memory either. `blurred_preview` is the operator's
view: every face that is not an alert is blurred before the frame leaves the engine."""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from openlfr.live.tracker import Track

PREVIEW_JPEG_QUALITY = 70


def wipe(*arrays: np.ndarray | None) -> None:
    for array in arrays:
        if array is not None and array.flags.writeable:
            array.fill(0)


def face_region(
    image: np.ndarray, box: tuple[float, float, float, float], pad: float = 0.25
) -> tuple[slice, slice]:
    """The slice bounds of a face box grown by `pad` on every side, clipped to the image."""
    x, y, w, h = box
    height, width = image.shape[:2]
    left, top = max(0, int(x - pad * w)), max(0, int(y - pad * h))
    right, bottom = min(width, int(x + w * (1 + pad))), min(height, int(y + h * (1 + pad)))
    return slice(top, bottom), slice(left, right)


def blurred_preview(image: np.ndarray, tracks: Iterable[Track], alerting: set[str]) -> bytes:
    """A JPEG of the frame with every face blurred except those of alerting tracks (boxed)."""
    preview = image.copy()
    for track in tracks:
        rows, cols = face_region(preview, track.face.box)
        if track.id in alerting:
            cv2.rectangle(preview, (cols.start, rows.start), (cols.stop, rows.stop), (0, 0, 255), 3)
            continue
        region = preview[rows, cols]
        if region.size:
            kernel = max(15, (max(region.shape[:2]) // 3) | 1)
            preview[rows, cols] = cv2.GaussianBlur(region, (kernel, kernel), 0)
    ok, encoded = cv2.imencode(".jpg", preview, [cv2.IMWRITE_JPEG_QUALITY, PREVIEW_JPEG_QUALITY])
    wipe(preview)
    if not ok:
        raise ValueError("the preview could not be encoded")
    return encoded.tobytes()
