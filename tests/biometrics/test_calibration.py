"""The shipped calibration turns a threshold and a watchlist size into expected false alerts."""

from __future__ import annotations

import numpy as np
import pytest

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC


@pytest.fixture(scope="module")
def table() -> calibration.CalibrationTable:
    return calibration.load(SFACE_SPEC.model_id)


def test_the_bundled_model_has_a_measured_table(table: calibration.CalibrationTable) -> None:
    assert table.impostor_comparisons > 1_000_000
    assert np.all(np.diff(table.false_match_rate) <= 0), "the rate must fall as t rises"
    assert "lfw-dev" in table.provenance["gallery"]


def test_false_alerts_grow_with_the_watchlist(table: calibration.CalibrationTable) -> None:
    small = table.expected_false_alerts(0.5, 1_000)
    large = table.expected_false_alerts(0.5, 10_000)
    assert 0 < small < large <= 10_000
    assert table.fpir(0.5, 1) == pytest.approx(table.fmr(0.5))


def test_a_rate_is_never_claimed_below_what_was_measurable(
    table: calibration.CalibrationTable,
) -> None:
    assert table.fmr(0.99) >= 1 / table.impostor_comparisons


def test_the_statement_a_person_reads(table: calibration.CalibrationTable) -> None:
    text = table.statement(0.5, 10_000)
    assert text.startswith("At threshold 0.50 and a watchlist of 10,000, expect about ")
    assert "false alerts per 10,000 passers-by" in text


def test_an_uncalibrated_model_is_refused() -> None:
    with pytest.raises(calibration.CalibrationError, match="no calibration table"):
        calibration.load("someone-elses-model")
