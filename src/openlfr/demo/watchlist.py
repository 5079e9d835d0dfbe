"""The demo watchlist: who is on it, in which photo, written as the CSV an officer would import.

From the bundled photos: the ten NASA astronauts from their official portraits, Lisa from one
photo and a dozen London-set people from their neutral photo; the walk-past shows them in their
*other* photos. From a user's folder: everyone, from their first photo. The records are
fictional: every "warrant" says it is a demo."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openlfr.domain.watchlist_csv import COLUMNS
from openlfr.eval.walkpast import IMAGE_SUFFIXES

CATEGORY = "wanted_by_courts"
LISA_ENROLMENT = "zoom_60cm.jpg"
LONDON_ENROLMENT = "neutral_front.jpg"
NASA_ENROLMENT = "nasa_portrait.jpg"
LONDON_LISTED = 12


@dataclass(frozen=True)
class Casting:
    """Person folder name (under `root`) -> enrolment photo, in the order they walk past."""

    root: Path
    enrolment: dict[str, Path]


def _photos(person: Path) -> list[Path]:
    return sorted(p for p in person.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def bundled_casting(photos: Path, seed: int) -> Casting:
    """NASA, Lisa and a seeded dozen of the London set, interleaved so that any first few
    walkers mix the three sources (a short run still shows each kind of photo)."""
    folders = sorted(d for d in photos.iterdir() if d.is_dir())
    nasa = [(d.name, d / NASA_ENROLMENT) for d in folders if d.name.startswith("nasa-")]
    london = [(d.name, d / LONDON_ENROLMENT) for d in folders if d.name.startswith("london-")]
    lisa = [(d.name, d / LISA_ENROLMENT) for d in folders if d.name == "lisa"]
    pick = random.Random(seed)
    pick.shuffle(nasa)
    london = pick.sample(london, min(LONDON_LISTED, len(london)))
    groups = [nasa, lisa, london]
    order = [g[i] for i in range(max(map(len, groups))) for g in groups if i < len(g)]
    return Casting(photos, {name: path for name, path in order if path.is_file()})


def folder_casting(folder: Path) -> Casting:
    """A user's watchlist folder: one subfolder per person, enrolled from their first photo."""
    people = {d.name: _photos(d) for d in sorted(folder.iterdir()) if d.is_dir()}
    return Casting(folder, {name: paths[0] for name, paths in people.items() if paths})


def write_records(casting: Casting, path: Path, today: date) -> Path:
    """The import CSV (`domain.watchlist_csv.COLUMNS`), images named under the root."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for number, (name, photo) in enumerate(casting.enrolment.items(), start=1):
            writer.writerow(
                {
                    "reference": name,
                    "category": CATEGORY,
                    "legal_basis": f"DEMO warrant {number:03d}: fictional, for the demo only",
                    "date_of_birth": "1980-01-01",
                    "review_date": (today + timedelta(days=90)).isoformat(),
                    "image": photo.relative_to(casting.root).as_posix(),
                    "image_source": "police",
                    "captured_on": (today - timedelta(days=30)).isoformat(),
                    "disabled": "no",
                    "gender_transition": "no",
                }
            )
    return path
