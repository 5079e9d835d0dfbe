"""Protocol LFR-ID-1: 1:N identification on a labelled folder of stills.

The split, the per-probe records and the figures follow ../shared/design/eval-protocol.md
exactly, so a figure measured today can be compared with one measured next month.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from openlfr.biometrics.calibration import CalibrationTable, measure

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
TOP_K = 5
THRESHOLDS = np.round(np.arange(0.0, 1.0001, 0.01), 2)
FARS = (1e-4, 1e-5, 1e-6)


@dataclass(frozen=True)
class Probe:
    path: Path
    identity: str
    mated: bool

    @property
    def name(self) -> str:
        return f"{self.identity}/{self.path.name}"


@dataclass
class Split:
    """Who is enrolled with which image, and which images probe the watchlist."""

    enrolment: dict[str, Path] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)

    @property
    def images(self) -> list[tuple[Path, bool]]:
        """Every image with whether it is a probe (probe and enrolment templates differ)."""
        return [(path, False) for path in self.enrolment.values()] + [
            (probe.path, True) for probe in self.probes
        ]


def split_folder(
    root: Path, exclude: Collection[str] = (), max_mated_per_identity: int = 10
) -> Split:
    """Enrol first images; probe with images 2..11; alternate single-image identities.

    `exclude` names identity folders to leave out, as if absent (known label noise)."""
    split = Split()
    singles: list[tuple[str, Path]] = []
    folders = (p for p in root.iterdir() if p.is_dir() and p.name not in exclude)
    for folder in sorted(folders):
        images = sorted(
            p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        if len(images) >= 2:
            split.enrolment[folder.name] = images[0]
            split.probes += [
                Probe(path, folder.name, True) for path in images[1 : 1 + max_mated_per_identity]
            ]
        elif images:
            singles.append((folder.name, images[0]))
    for position, (identity, path) in enumerate(singles):
        if position % 2 == 0:
            split.enrolment[identity] = path
        else:
            split.probes.append(Probe(path, identity, False))
    return split


def read_identities(path: Path) -> set[str]:
    """Identity names from a text file, one per line; text after '#' is a comment (the reason
    an identity is left out, e.g. bench/lfw_label_noise.txt)."""
    names = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {name for name in names if name}


@dataclass
class Outcome:
    """Per-probe records and the figures computed from them."""

    records: list[dict[str, Any]]
    summary: dict[str, Any]
    calibration: CalibrationTable


Adjust = Callable[[np.ndarray, list["Probe"]], np.ndarray]
"""Turns the probe x subject score matrix into other scores (score normalisation, quality
weighting: the recipes `bench/id_ablation.py` measures); rows are the acquired probes."""


def score(
    split: Split,
    templates: dict[Path, np.ndarray],
    model_id: str,
    provenance: dict[str, Any],
    top_k: int = TOP_K,
    adjust: Adjust | None = None,
) -> Outcome:
    """Search every probe against the enrolled subjects and compute LFR-ID-1's figures.

    `templates` holds a template for every image in which a usable face was found; each
    enrolled subject has one, so the search is one matrix product.
    """
    subjects = [who for who, path in split.enrolment.items() if path in templates]
    acquired = [p for p in split.probes if p.path in templates]
    scores = np.zeros((len(acquired), len(subjects)), np.float32)
    if subjects and acquired:
        gallery = np.stack([templates[split.enrolment[s]] for s in subjects])
        scores = np.stack([templates[p.path] for p in acquired]) @ gallery.T
        if adjust is not None:
            scores = adjust(scores, acquired)
    by_probe = {p.path: _top(row, subjects, top_k) for p, row in zip(acquired, scores, strict=True)}
    records = [
        {
            "probe": probe.name,
            "truth": probe.identity if probe.mated else None,
            "candidates": by_probe.get(probe.path, []),
        }
        for probe in split.probes
    ]
    same = np.array([p.identity for p in acquired])[:, None] == np.array(subjects)[None, :]
    genuine, impostor = scores[same], scores[~same]
    calibration = measure(genuine, impostor, model_id, provenance)
    summary = _figures(records, split, len(subjects), calibration)
    summary["per_comparison"] = {
        "genuine": len(genuine),
        "impostor": len(impostor),
        "tar_at_far": {f"{far:.0e}": _tar_at_far(genuine, impostor, far) for far in FARS},
    }
    summary["model"] = model_id
    return Outcome(records, summary, calibration)


def _top(row: np.ndarray, subjects: list[str], k: int) -> list[dict[str, Any]]:
    k = min(k, len(subjects))
    if k == 0:
        return []
    columns = np.argpartition(-row, k - 1)[:k]
    ranked = columns[np.argsort(-row[columns], kind="stable")]
    return [{"subject": subjects[c], "score": round(float(row[c]), 6)} for c in ranked]


def _best(record: dict[str, Any]) -> tuple[str | None, float]:
    if not record["candidates"]:
        return None, -1.0
    top = record["candidates"][0]
    return top["subject"], float(top["score"])


def _figures(
    records: list[dict[str, Any]], split: Split, gallery_size: int, calibration: CalibrationTable
) -> dict[str, Any]:
    mated = [(*_best(r), r["truth"]) for r in records if r["truth"] is not None]
    non_mated = np.array([_best(r)[1] for r in records if r["truth"] is None])
    mated_hit = np.array([score if who == truth else -1.0 for who, score, truth in mated])

    def fpir(t: float) -> float:
        return float((non_mated >= t).mean()) if len(non_mated) else 0.0

    def tpir(t: float) -> float:
        return float((mated_hit >= t).mean()) if len(mated_hit) else 0.0

    def tpir_at_fpir(target: float) -> dict[str, float | None]:
        meeting = [t for t in THRESHOLDS if fpir(t) <= target]
        if not meeting:
            return {"threshold": None, "tpir": None}
        t = float(min(meeting))
        return {"threshold": t, "tpir": tpir(t)}

    return {
        "protocol": "LFR-ID-1",
        "gallery_size": gallery_size,
        "mated_probes": len(mated),
        "non_mated_probes": len(non_mated),
        "failure_to_enrol": len(split.enrolment) - gallery_size,
        "failure_to_acquire": sum(1 for r in records if not r["candidates"]),
        "rank1": float(np.mean([who == truth for who, _, truth in mated])) if mated else 0.0,
        "tpir_at_fpir": {"1e-2": tpir_at_fpir(1e-2), "1e-3": tpir_at_fpir(1e-3)},
        "threshold_table": [
            {
                "threshold": float(t),
                "fpir": fpir(t),
                "tpir": tpir(t),
                "fmr": float(calibration.false_match_rate[i]),
                "tar": float(calibration.true_match_rate[i]),
                "fpir_1000": calibration.fpir(float(t), 1_000),
                "fpir_10000": calibration.fpir(float(t), 10_000),
            }
            for i, t in enumerate(THRESHOLDS)
        ],
    }


def _tar_at_far(genuine: np.ndarray, impostor: np.ndarray, far: float) -> dict[str, float | None]:
    """TAR at the lowest threshold that lets through at most `far` of the impostor pairs.

    None when there are too few impostor pairs to measure that rate at all.
    """
    allowed = int(np.floor(far * len(impostor)))
    if allowed < 1 or len(genuine) == 0:
        return {"threshold": None, "tar": None}
    ranked = np.sort(impostor)[::-1]
    threshold = float(np.nextafter(np.float32(ranked[allowed]), np.float32(np.inf)))
    return {"threshold": threshold, "tar": float((genuine >= threshold).mean())}
