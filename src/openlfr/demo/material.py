"""The walk-past the demo plays as its live camera, from `eval.walkpast`: the watchlisted people
in photos other than their enrolment ones, among passers-by who are on no watchlist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openlfr.demo.watchlist import Casting
from openlfr.eval.walkpast import WalkpastSpec, build

WALK_SECONDS = (2.0, 3.0)


def crowd_folder(casting: Casting, passers_by: Path, work: Path) -> Path:
    """One folder holding the watchlisted people and the passers-by: the casting's own when the
    passers-by come from it, else links to both (a user's watchlist among the London set)."""
    if casting.root.resolve() == passers_by.resolve():
        return casting.root
    crowd = work / "crowd"
    crowd.mkdir(parents=True, exist_ok=True)
    for folder in (passers_by, casting.root):  # the watchlist's folders win a name clash
        for person in sorted(d for d in folder.iterdir() if d.is_dir()):
            link = crowd / person.name
            if link.is_symlink():
                link.unlink()
            link.symlink_to(person.resolve(), target_is_directory=True)
    return crowd


def make_walkpast(
    casting: Casting, passers_by: Path, work: Path, walkers: int, passers: int, seed: int
) -> tuple[Path, dict[str, Any]]:
    """The video and its truth. Its length is set so that `eval.walkpast` fills it with
    `walkers` watchlisted people and about `passers` passers-by (it sizes the crowd by time)."""
    mean_walk = sum(WALK_SECONDS) / 2
    spec = WalkpastSpec(
        seconds=(walkers + passers) * mean_walk + 0.5,
        watchlisted=walkers,
        seed=seed,
        walk_seconds=WALK_SECONDS,
    )
    out = work / "walkpast"
    truth = build(crowd_folder(casting, passers_by, work), out, spec, casting.enrolment)
    return out / truth["video"], truth
