"""One face engine for the biometric tests: loading the models once keeps the suite quick."""

from __future__ import annotations

import pytest

from openlfr.biometrics.engine import FaceEngine


@pytest.fixture(scope="session")
def engine() -> FaceEngine:
    return FaceEngine()
