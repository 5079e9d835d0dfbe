"""The face engine as the rest of the system uses it: image in; faces, quality, templates out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openlfr.biometrics.detector import MIN_RECOGNITION_SCORE, Face, FaceDetector
from openlfr.biometrics.embedder import Embedder, OnnxEmbedder
from openlfr.biometrics.quality import ENROLMENT, QualityPolicy, QualityReport, assess

#: A second face at least this share of the main face's height makes an enrolment ambiguous.
AMBIGUOUS_FACE_RATIO = 0.6
#: A still's face is detected again at this height before it is aligned (bench/id_ablation.py:
#: YuNet's landmarks on the enlarged face lift every LFR-ID-1 figure).
STILL_FACE_PX = 200.0


class EnrolmentError(ValueError):
    """An enrolment image refused, with every reason a person needs to replace it."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class FaceSample:
    """One face: where it is, how good it is, and its template."""

    face: Face
    quality: QualityReport
    template: np.ndarray


class FaceEngine:
    """Detector plus embedder. Not thread-safe: give each thread or process its own."""

    def __init__(self, detector: FaceDetector | None = None, embedder: Embedder | None = None):
        self.detector = detector or FaceDetector()
        self.embedder: Embedder = embedder or OnnxEmbedder()

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    def detect(self, image: np.ndarray) -> list[Face]:
        """All faces, largest first, whatever their score (for tracking and blurring)."""
        return self.detector.detect(image)

    def sample(
        self, image: np.ndarray, face: Face, policy: QualityPolicy, *, probe: bool
    ) -> FaceSample:
        """A still's face: detected again at `STILL_FACE_PX` for its landmarks, aligned, judged
        and templated."""
        refined = self.detector.refine(image, face, STILL_FACE_PX) or face
        aligned = self.embedder.align(image, refined)
        template = self.embedder.embed(aligned, probe=probe)
        return FaceSample(face, assess(face, aligned, policy), template)

    def main_face(self, image: np.ndarray, *, probe: bool) -> FaceSample | None:
        """The face the model can recognise (score >= 0.8) nearest the image centre, or None;
        no quality gate. The subject of a photo is framed in its centre; the largest face is
        often someone else (bench/id_ablation.py)."""
        usable = [face for face in self.detect(image) if face.score >= MIN_RECOGNITION_SCORE]
        if not usable:
            return None
        height, width = image.shape[:2]
        subject = min(
            usable,
            key=lambda f: (f.centre[0] - width / 2) ** 2 + (f.centre[1] - height / 2) ** 2,
        )
        return self.sample(image, subject, ENROLMENT, probe=probe)

    def enrol(self, image: np.ndarray, policy: QualityPolicy = ENROLMENT) -> FaceSample:
        """The one face of an enrolment image, refused unless it alone is clear and good."""
        faces = [face for face in self.detect(image) if face.score >= policy.min_detector_score]
        if not faces:
            raise EnrolmentError(["no face found"])
        others = [f for f in faces[1:] if f.height >= AMBIGUOUS_FACE_RATIO * faces[0].height]
        if others:
            raise EnrolmentError([f"{1 + len(others)} faces found; one face per image needed"])
        sample = self.sample(image, faces[0], policy, probe=False)
        if not sample.quality.passed:
            raise EnrolmentError(sample.quality.failures)
        return sample
