"""Templates for many stills on every core: each worker process owns its own models.

OpenCV's DNN objects are not thread-safe and each already uses several threads, so the fast
way on a small machine is one single-threaded engine per core.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import cv2

from openlfr.biometrics.engine import EnrolmentError, FaceEngine, FaceSample
from openlfr.biometrics.imageio import ImageError, load_image
from openlfr.biometrics.quality import ENROLMENT, QualityPolicy

T = TypeVar("T")


@dataclass(frozen=True)
class StillResult:
    """The outcome for one file: a sample, or the reasons there is none."""

    path: Path
    sample: FaceSample | None
    reasons: tuple[str, ...] = ()


_engine: FaceEngine | None = None


def _start_worker() -> None:
    global _engine
    cv2.setNumThreads(1)
    _engine = FaceEngine()


def _main_face(args: tuple[Path, bool]) -> StillResult:
    assert _engine is not None
    path, probe = args
    try:
        sample = _engine.main_face(load_image(path), probe=probe)
    except ImageError as exc:
        return StillResult(path, None, (str(exc),))
    return StillResult(path, sample, () if sample else ("no face found",))


def _enrol(args: tuple[Path, QualityPolicy]) -> StillResult:
    assert _engine is not None
    path, policy = args
    try:
        return StillResult(path, _engine.enrol(load_image(path), policy))
    except ImageError as exc:
        return StillResult(path, None, (str(exc),))
    except EnrolmentError as exc:
        return StillResult(path, None, tuple(exc.reasons))


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def _run(
    function: Callable[[T], StillResult], items: list[T], workers: int
) -> Iterator[StillResult]:
    if workers <= 1:
        _start_worker()
        yield from map(function, items)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker) as pool:
        yield from pool.imap(function, items, chunksize=8)


def main_faces(
    paths: Iterable[tuple[Path, bool]], workers: int | None = None
) -> Iterator[StillResult]:
    """The main recognisable face of each (still, is-probe) pair, in input order, with no
    quality gate: for evaluation, where only a face the model cannot use counts as a failure."""
    return _run(_main_face, list(paths), workers or default_workers())


def enrol_stills(
    paths: Iterable[Path], policy: QualityPolicy = ENROLMENT, workers: int | None = None
) -> Iterator[StillResult]:
    """The one good face of each enrolment still, or why it was refused, in input order."""
    return _run(_enrol, [(path, policy) for path in paths], workers or default_workers())
