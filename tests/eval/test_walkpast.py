"""The walk-past generator: the frame size asked for, people walking two by two when asked,
faces from the smallest height asked for, and the truth the scorer needs."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import cv2
from typer.testing import CliRunner

from openlfr.cli import app


def test_a_walkpast_of_pairs_in_two_lanes(data_dir: Path, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    for person in sorted((data_dir / "redistributable/london-set").iterdir())[:14]:
        if person.is_dir():
            shutil.copytree(person, photos / person.name)
    out = tmp_path / "walk"
    args = ["simulate", "walkpast", str(photos), "--out", str(out), "--seconds", "4"]
    args += ["--watchlisted", "2", "--watchlist-size", "4", "--size", "320x240"]
    args += ["--min-face", "40", "--max-face", "80", "--pairs", "1", "--lanes", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    truth = json.loads((out / "truth.json").read_text())
    capture = cv2.VideoCapture(str(out / "walkpast.mp4"))
    assert (capture.get(cv2.CAP_PROP_FRAME_WIDTH), capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (
        320,
        240,
    )
    spans = Counter((a["first_frame"], a["last_frame"]) for a in truth["appearances"])
    assert spans and all(count == 2 for count in spans.values())  # every walk by two
    starts = sorted({first for first, _ in spans})
    assert len(starts) >= 2 and starts[1] - starts[0] < 40  # two lanes overlap in time
    assert len(truth["watchlist"]) == 4
    assert sum(a["subject"] is not None for a in truth["appearances"]) == 2


def test_bad_walkpast_options_are_refused(tmp_path: Path) -> None:
    args = ["simulate", "walkpast", str(tmp_path), "--out", str(tmp_path / "w")]
    result = CliRunner().invoke(app, [*args, "--size", "big"])
    assert result.exit_code != 0 and "1920x1080" in result.output
