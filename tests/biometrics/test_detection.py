"""Faces are found where they are, in frames of any size."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.imageio import load_image


def test_two_people_are_two_faces_left_and_right(face_engine: FaceEngine, data_dir: Path) -> None:
    image = load_image(data_dir / "stills/misc/two_people.jpg")
    faces = face_engine.detect(image)
    assert len(faces) == 2
    xs = sorted(face.centre[0] for face in faces)
    assert xs[0] < image.shape[1] / 2 < xs[1]


def test_every_face_of_a_group_photo_is_found(face_engine: FaceEngine, data_dir: Path) -> None:
    faces = face_engine.detect(load_image(data_dir / "stills/misc/multiface.jpg"))
    assert len(faces) == 6
    assert all(face.score >= 0.8 for face in faces)


def test_the_same_photo_at_240p_and_1080p_gives_the_same_box(
    face_engine: FaceEngine, data_dir: Path
) -> None:
    small = face_engine.detect(load_image(data_dir / "stills/misc/obama-240p.jpg"))
    large = face_engine.detect(load_image(data_dir / "stills/misc/obama-1080p.jpg"))
    assert len(small) == len(large) == 1
    scale = 1080 / 240
    assert np.allclose(np.array(small[0].centre) * scale, large[0].centre, atol=15)
    assert abs(small[0].height * scale - large[0].height) < 0.1 * large[0].height


def test_faces_filling_a_large_photo_are_found(face_engine: FaceEngine, data_dir: Path) -> None:
    # Portraits up to 4352 px wide, where YuNet alone scores a full-frame face poorly.
    photos = sorted((data_dir / "stills/deepface-identities").glob("*/*.jpg"))
    missed = [p.name for p in photos if not face_engine.main_face(load_image(p), probe=True)]
    assert len(photos) == 61 and missed == []


def test_an_empty_frame_has_no_face(face_engine: FaceEngine) -> None:
    assert face_engine.detect(np.full((720, 1280, 3), 127, np.uint8)) == []
