"""Face quality: is this face good enough to enrol or to search, and if not, why not.

Each check carries a sentence a person can read ("face 42 px high; at least 80 px needed"),
because a watchlist officer must be able to fix or replace a refused image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from openlfr.biometrics.detector import MIN_RECOGNITION_SCORE, Face


@dataclass(frozen=True)
class QualityPolicy:
    """Limits for one use: enrolment is stricter than a live probe."""

    min_face_height: float = 80.0
    min_sharpness: float = 40.0
    max_yaw_degrees: float = 35.0
    max_roll_degrees: float = 40.0
    pitch_ratio_range: tuple[float, float] = (0.25, 0.75)
    brightness_range: tuple[float, float] = (45.0, 215.0)
    min_detector_score: float = MIN_RECOGNITION_SCORE


ENROLMENT = QualityPolicy()
LIVE_PROBE = QualityPolicy(
    min_face_height=48.0,
    min_sharpness=15.0,
    max_yaw_degrees=70.0,
    brightness_range=(40.0, 215.0),
)
"""Looser than enrolment: a live probe is one of several shots of a track, each searched at the
approved threshold, and the landmark yaw estimate overstates a half-profile (the eyes draw
together). A performer under stage light, turned about 70 degrees, is still recognised."""


@dataclass(frozen=True)
class QualityCheck:
    name: str
    value: float
    passed: bool
    reason: str


@dataclass(frozen=True)
class QualityReport:
    checks: tuple[QualityCheck, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[str]:
        return [check.reason for check in self.checks if not check.passed]

    def value(self, name: str) -> float:
        return next(check.value for check in self.checks if check.name == name)


@dataclass(frozen=True)
class Pose:
    """Head pose estimated from the five landmarks (no extra model needed)."""

    yaw: float
    roll: float
    pitch_ratio: float


def estimate_pose(face: Face) -> Pose:
    right_eye, left_eye, nose, mouth_right, mouth_left = face.landmarks.astype(float)
    eye_mid = (right_eye + left_eye) / 2
    mouth_mid = (mouth_right + mouth_left) / 2
    eye_vector = left_eye - right_eye
    eye_distance = max(float(np.hypot(*eye_vector)), 1e-6)
    roll = math.degrees(math.atan2(eye_vector[1], eye_vector[0]))
    # Project the nose on the eye line: its offset from the eye midpoint grows with yaw
    # (about half the inter-eye distance times tan(yaw) for an average nose).
    along = float(np.dot(nose - eye_mid, eye_vector) / eye_distance)
    yaw = math.degrees(math.atan(2.0 * along / eye_distance))
    vertical = float(np.hypot(*(mouth_mid - eye_mid)))
    unit = eye_vector / eye_distance
    offset = nose - eye_mid
    across = float(unit[0] * offset[1] - unit[1] * offset[0])  # distance below the eye line
    pitch_ratio = across / vertical if vertical > 1e-6 else 0.5
    return Pose(yaw=yaw, roll=roll, pitch_ratio=pitch_ratio)


def sharpness(aligned: np.ndarray) -> float:
    """Variance of the Laplacian on the aligned crop: low means blurred."""
    grey = cv2.cvtColor(aligned, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def assess(face: Face, aligned: np.ndarray, policy: QualityPolicy = ENROLMENT) -> QualityReport:
    """Judge one face on size, sharpness, pose, exposure and detector score."""
    pose = estimate_pose(face)
    sharp = sharpness(aligned)
    brightness = float(cv2.cvtColor(aligned, cv2.COLOR_BGR2GRAY).mean())
    low_pitch, high_pitch = policy.pitch_ratio_range
    dark, bright = policy.brightness_range
    checks = (
        QualityCheck(
            "face_height",
            face.height,
            face.height >= policy.min_face_height,
            f"face {face.height:.0f} px high; at least {policy.min_face_height:.0f} px needed",
        ),
        QualityCheck(
            "sharpness",
            sharp,
            sharp >= policy.min_sharpness,
            f"face is blurred (sharpness {sharp:.0f}; at least {policy.min_sharpness:.0f} needed)",
        ),
        QualityCheck(
            "yaw",
            pose.yaw,
            abs(pose.yaw) <= policy.max_yaw_degrees,
            f"head turned about {abs(pose.yaw):.0f} degrees; at most "
            f"{policy.max_yaw_degrees:.0f} allowed",
        ),
        QualityCheck(
            "roll",
            pose.roll,
            abs(pose.roll) <= policy.max_roll_degrees,
            f"head tilted about {abs(pose.roll):.0f} degrees; at most "
            f"{policy.max_roll_degrees:.0f} allowed",
        ),
        QualityCheck(
            "pitch",
            pose.pitch_ratio,
            low_pitch <= pose.pitch_ratio <= high_pitch,
            f"head tipped up or down too far (nose at {pose.pitch_ratio:.2f} of the eye-to-mouth "
            f"distance; {low_pitch:.2f} to {high_pitch:.2f} allowed)",
        ),
        QualityCheck(
            "brightness",
            brightness,
            dark <= brightness <= bright,
            f"face {'too dark' if brightness < dark else 'over-exposed'} (mean level "
            f"{brightness:.0f}; {dark:.0f} to {bright:.0f} allowed)",
        ),
        QualityCheck(
            "detector_score",
            face.score,
            face.score >= policy.min_detector_score,
            f"detector score {face.score:.2f}; at least {policy.min_detector_score:.2f} needed",
        ),
    )
    return QualityReport(checks)
