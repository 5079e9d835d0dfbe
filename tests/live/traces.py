"""What a face could leave behind, and where the privacy test looks for it.

`Traces` holds every probe template and aligned crop the engine made, in the forms a careless
write would give them (raw float32, float64 or float16 bytes, base64, hex, numbers in text, raw
pixels, an image of the crop or of a face the camera saw); `images_in` finds plaintext JPEG and
PNG images in any blob."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from openlfr.biometrics.engine import FaceEngine

_NUMBER = re.compile(rb"-?\d*\.\d{3,}(?:[eE][-+]?\d+)?")
_JPEG, _PNG = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"


class Traces:
    def __init__(
        self, templates: list[np.ndarray], crops: list[np.ndarray], faces: FaceEngine
    ) -> None:
        self.faces, self.templates = faces, np.stack(templates)
        self.crops = np.stack(crops).astype(np.int16)
        self.needles: list[tuple[str, bytes]] = []
        for template in templates:
            raw = template.astype(np.float32).tobytes()
            self.needles += [
                ("a template (float32)", raw[:32]),
                ("a template (float32, its middle)", raw[256:288]),
                ("a template (float64)", template.astype(np.float64).tobytes()[:64]),
                ("a template (float16)", template.astype(np.float16).tobytes()[:32]),
                ("a template (base64)", base64.b64encode(raw[:48])),
                ("a template (hex)", raw[:32].hex().encode()),
            ]
        for crop in crops:
            raw = crop.tobytes()
            middle = len(raw) // 2
            self.needles += [
                ("a face crop (pixels)", raw[:192]),
                ("a face crop (pixels, its middle)", raw[middle : middle + 192]),
                ("a face crop (base64)", base64.b64encode(raw[:192])),
            ]
        windows = np.lib.stride_tricks.sliding_window_view(self.templates, 3, axis=1)
        self._windows = windows.reshape(-1, 3)

    def found_in(self, blob: bytes) -> list[str]:
        """What of a face this blob holds: bytes in any form, or three template values in a row
        written as numbers (to 3 decimals)."""
        found = sorted({what for what, needle in self.needles if needle in blob})
        numbers = [float(n) for n in _NUMBER.findall(blob)]
        if len(numbers) >= 3:
            triples = np.lib.stride_tricks.sliding_window_view(np.array(numbers), 3)
            for triple in triples:
                if (np.abs(self._windows - triple).max(axis=1) < 6e-4).any():
                    found.append("a template (as numbers)")
                    break
        return found + [f"an image of {who}" for who in map(self.shows, images_in(blob)) if who]

    def shows(self, image: np.ndarray) -> str:
        """Whose face the image shows, if the camera saw it: an aligned crop, or a face whose
        template matches one the engine made ("" when neither)."""
        if image.shape == self.crops.shape[1:]:
            difference = np.abs(self.crops - image.astype(np.int16)).mean(axis=(1, 2, 3))
            if difference.min() < 8:
                return "a face crop"
        found = self.faces.main_face(image, probe=True)
        if found is not None and float((self.templates @ found.template).max()) > 0.6:
            return "a face the camera saw"
        return ""


def images_in(blob: bytes) -> list[np.ndarray]:
    """Every JPEG or PNG image that decodes from somewhere in the blob (random bytes that
    happen to start like an image do not decode)."""
    images = []
    for magic in (_JPEG, _PNG):
        start = blob.find(magic)
        while start != -1:
            image = cv2.imdecode(np.frombuffer(blob[start:], np.uint8), cv2.IMREAD_COLOR)
            if image is not None:
                images.append(image)
            start = blob.find(magic, start + 1)
    return images


def files_under(roots: Iterable[Path], skip: Iterable[Path] = ()) -> dict[Path, tuple[int, int]]:
    """Every regular file under the roots (not under `skip`) with its mtime and size, to tell
    afterwards which files a run created or changed."""
    skipped = [s.resolve() for s in skip]
    seen: dict[Path, tuple[int, int]] = {}
    for root in roots:
        for path in _walk(root.resolve(), skipped):
            try:
                status = path.stat()
            except OSError:  # gone meanwhile (another process's temp file)
                continue
            seen[path] = (status.st_mtime_ns, status.st_size)
    return seen


def _walk(root: Path, skipped: list[Path]) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, onerror=lambda _: None):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not any((here / d).is_relative_to(s) for s in skipped)]
        for name in files:
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path


def changed(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> list[Path]:
    return sorted(path for path, stamp in after.items() if before.get(path) != stamp)


def read(path: Path) -> bytes:
    """The file's bytes, or nothing when it went away or cannot be read (another process's)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""
