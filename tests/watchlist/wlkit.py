"""Test kit: watchlist CSVs built from real photos in the shared data."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from openlfr.domain.watchlist_csv import COLUMNS


@dataclass
class Row:
    reference: str
    image: str
    category: str = "wanted_by_courts"
    legal_basis: str = "Warrant 123 (PACE s.24)"
    date_of_birth: str = "1980-04-02"
    review_date: str = "2031-01-01"
    image_source: str = "police"
    captured_on: str = "2024-03-01"
    disabled: str = "no"
    gender_transition: str = "no"


def portrait(data_dir: Path, n: int, smiling: bool = False) -> Path:
    """A good frontal portrait of London-set person n (1..102)."""
    name = "smiling_front.jpg" if smiling else "neutral_front.jpg"
    return data_dir / "redistributable" / "london-set" / f"{n:03d}" / name


def write_import(folder: Path, rows: list[Row], files: dict[str, Path]) -> tuple[Path, Path]:
    """Copy the files into an image folder and write the CSV; returns (csv, images dir)."""
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, images / name)
    path = folder / "records.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: getattr(row, c) for c in COLUMNS})
    return path, images
