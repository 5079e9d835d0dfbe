"""The same person scores above the operating threshold and different people below it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.imageio import load_image

#: The threshold at which the shipped calibration measured a false match rate of about 1e-5.
THRESHOLD = 0.46


@pytest.fixture(scope="module")
def templates(face_engine: FaceEngine, data_dir: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Who is in each photo, its enrolment template and its probe template."""
    photos = sorted((data_dir / "stills/deepface-identities").glob("*/*.jpg"))
    images = [load_image(p) for p in photos]
    enrol = [face_engine.main_face(image, probe=False) for image in images]
    probe = [face_engine.main_face(image, probe=True) for image in images]
    assert all(enrol) and all(probe)
    return (
        [p.parent.name for p in photos],
        np.stack([s.template for s in enrol if s]),
        np.stack([s.template for s in probe if s]),
    )


def test_templates_are_unit_length_128_d(
    templates: tuple[list[str], np.ndarray, np.ndarray],
) -> None:
    _, enrol, probe = templates
    assert enrol.shape == probe.shape == (61, 128)
    assert np.allclose(np.linalg.norm(enrol, axis=1), 1.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(probe, axis=1), 1.0, atol=1e-5)


def test_same_person_above_and_different_people_below_the_threshold(
    templates: tuple[list[str], np.ndarray, np.ndarray],
) -> None:
    who, enrol, probe = templates
    scores = probe @ enrol.T
    same = np.array(who)[:, None] == np.array(who)[None, :]
    other_photo = ~np.eye(len(who), dtype=bool)
    genuine = scores[same & other_photo]
    impostor = scores[~same]
    assert genuine.min() >= THRESHOLD, "a genuine pair fell below the threshold"
    assert impostor.max() < THRESHOLD, "an impostor pair reached the threshold"


def test_the_threshold_is_the_calibrated_one_in_1e5() -> None:
    table = calibration.load(SFACE_SPEC.model_id)
    assert table.fmr(THRESHOLD) <= 2e-5
