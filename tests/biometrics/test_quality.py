"""Quality checks refuse poor faces with a reason a watchlist officer can act on."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from openlfr.biometrics.detector import Face
from openlfr.biometrics.engine import EnrolmentError, FaceEngine
from openlfr.biometrics.imageio import load_image
from openlfr.biometrics.quality import estimate_pose


@pytest.fixture(scope="module")
def portrait(data_dir: Path) -> np.ndarray:
    return load_image(data_dir / "stills/misc/obama.jpg")


def test_a_good_portrait_enrols(face_engine: FaceEngine, portrait: np.ndarray) -> None:
    sample = face_engine.enrol(portrait)
    assert sample.quality.passed
    assert sample.template.shape == (128,)


def test_a_small_face_is_refused_with_its_size(face_engine: FaceEngine, data_dir: Path) -> None:
    with pytest.raises(EnrolmentError) as refused:
        face_engine.enrol(load_image(data_dir / "stills/misc/obama-240p.jpg"))
    assert any(
        reason.startswith("face ") and "px high; at least 80 px needed" in reason
        for reason in refused.value.reasons
    )


def test_a_blurred_face_is_refused(face_engine: FaceEngine, portrait: np.ndarray) -> None:
    blurred = cv2.GaussianBlur(portrait, (0, 0), 9)
    with pytest.raises(EnrolmentError, match="face is blurred"):
        face_engine.enrol(blurred)


def test_a_dark_face_is_refused(face_engine: FaceEngine, portrait: np.ndarray) -> None:
    dark = (portrait.astype(np.float32) * 0.15).astype(np.uint8)
    with pytest.raises(EnrolmentError, match="too dark"):
        face_engine.enrol(dark)


def test_two_people_are_refused_as_ambiguous(face_engine: FaceEngine, data_dir: Path) -> None:
    with pytest.raises(EnrolmentError, match="2 faces found; one face per image needed"):
        face_engine.enrol(load_image(data_dir / "stills/misc/two_people.jpg"))


def test_no_face_is_refused(face_engine: FaceEngine) -> None:
    with pytest.raises(EnrolmentError, match="no face found"):
        face_engine.enrol(np.full((400, 400, 3), 200, np.uint8))


def _face(nose_x: float) -> Face:
    landmarks = np.array([[40, 50], [80, 50], [nose_x, 70], [45, 90], [75, 90]], np.float32)
    return Face((20, 20, 80, 100), landmarks, 0.95)


def test_pose_from_landmarks_tells_frontal_from_turned() -> None:
    assert abs(estimate_pose(_face(60)).yaw) < 1
    assert abs(estimate_pose(_face(60)).roll) < 1
    assert estimate_pose(_face(80)).yaw > 35  # nose under one eye: turned well away
