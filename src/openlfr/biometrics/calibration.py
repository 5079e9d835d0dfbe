"""From a threshold to what a deployment should expect: false matches per comparison and false
alerts per 10,000 passers-by for a watchlist of a given size.

The table for each model is measured (see `bench/calibrate.py`) and shipped with the package;
a force that plugs in another model ships its own table under that model's id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np


class CalibrationError(LookupError):
    """No calibration table exists for a model, so no false-alert rate can be stated."""


@dataclass(frozen=True)
class CalibrationTable:
    """False match rate (per comparison) and true match rate against the score threshold."""

    model_id: str
    thresholds: np.ndarray
    false_match_rate: np.ndarray
    true_match_rate: np.ndarray
    impostor_comparisons: int
    genuine_comparisons: int
    provenance: dict[str, Any]

    def fmr(self, threshold: float) -> float:
        """False match rate per comparison at `threshold` (the next table row at or below it)."""
        index = int(np.searchsorted(self.thresholds, threshold, side="right")) - 1
        if index < 0:
            return float(self.false_match_rate[0])
        # Never claim zero: a rate below what was measurable is reported at the resolution limit.
        return max(float(self.false_match_rate[index]), 1.0 / self.impostor_comparisons)

    def fpir(self, threshold: float, watchlist_size: int) -> float:
        """Chance that one passer-by not on the list raises an alert: 1 - (1 - FMR)^N."""
        return 1.0 - (1.0 - self.fmr(threshold)) ** watchlist_size

    def expected_false_alerts(
        self, threshold: float, watchlist_size: int, passers_by: int = 10_000
    ) -> float:
        return passers_by * self.fpir(threshold, watchlist_size)

    def statement(self, threshold: float, watchlist_size: int) -> str:
        expected = self.expected_false_alerts(threshold, watchlist_size)
        return (
            f"At threshold {threshold:.2f} and a watchlist of {watchlist_size:,}, expect about "
            f"{expected:.2g} false alerts per 10,000 passers-by ({self.model_id}, measured on "
            f"{self.impostor_comparisons:,} impostor comparisons)."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "impostor_comparisons": self.impostor_comparisons,
            "genuine_comparisons": self.genuine_comparisons,
            "provenance": self.provenance,
            "rows": [
                {"threshold": round(float(t), 4), "fmr": float(f), "tmr": float(m)}
                for t, f, m in zip(
                    self.thresholds, self.false_match_rate, self.true_match_rate, strict=True
                )
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalibrationTable:
        rows = data["rows"]
        return cls(
            model_id=data["model_id"],
            thresholds=np.array([r["threshold"] for r in rows]),
            false_match_rate=np.array([r["fmr"] for r in rows]),
            true_match_rate=np.array([r["tmr"] for r in rows]),
            impostor_comparisons=int(data["impostor_comparisons"]),
            genuine_comparisons=int(data["genuine_comparisons"]),
            provenance=dict(data["provenance"]),
        )


def measure(
    genuine: np.ndarray, impostor: np.ndarray, model_id: str, provenance: dict[str, Any]
) -> CalibrationTable:
    """Build a table from genuine and impostor comparison scores, every 0.01 from 0 to 1."""
    thresholds = np.round(np.arange(0.0, 1.0001, 0.01), 2)
    impostor = np.sort(np.asarray(impostor, dtype=np.float64))
    genuine = np.sort(np.asarray(genuine, dtype=np.float64))

    def share_at_or_above(scores: np.ndarray) -> np.ndarray:
        return (len(scores) - np.searchsorted(scores, thresholds, side="left")) / len(scores)

    return CalibrationTable(
        model_id=model_id,
        thresholds=thresholds,
        false_match_rate=share_at_or_above(impostor),
        true_match_rate=share_at_or_above(genuine),
        impostor_comparisons=len(impostor),
        genuine_comparisons=len(genuine),
        provenance=provenance,
    )


def table_path(model_id: str) -> Path:
    return Path(str(resources.files("openlfr.biometrics") / "calibration" / f"{model_id}.json"))


def load(model_id: str) -> CalibrationTable:
    """The shipped table for `model_id`."""
    path = table_path(model_id)
    if not path.is_file():
        raise CalibrationError(
            f"no calibration table for model {model_id!r}; measure one with bench/calibrate.py"
        )
    return CalibrationTable.from_json(json.loads(path.read_text()))
