"""Per track: which shots are good enough to search, and the best one to show the operator.

Templates cost one or two SFace forwards each (`ShotPolicy.mirror`), so a track gets at most
`max_templates`, spaced out in time, each from a better shot than the last, and only from faces
the model can recognise (detector score >= 0.8, LIVE_PROBE quality).
The best shot's crop is kept in memory for the alert image and wiped when the track ends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openlfr.biometrics.quality import QualityReport
from openlfr.live.privacy import face_region, wipe
from openlfr.live.tracker import Track


@dataclass(frozen=True)
class ShotPolicy:
    max_templates: int = 8
    min_interval: float = 0.08
    """Seconds of source time between two templates of one track."""
    min_gain: float = 1.15
    """A further template only from a shot this much better than the last one templated (a
    person walking towards the camera gets a template as their face grows)..."""
    refresh_after: float = 0.5
    """...or, for someone who stays at one distance (turning their head, on a stage), from any
    good shot this many seconds after the last template."""
    mirror: bool = False
    """Average each probe template with its mirror image (a second SFace forward). Off: it does
    not pay live, where a track's next shot is a better second look than the mirror (and the
    Hamilton performer turned 70 degrees scores 0.39 with it, 0.42 without)."""


@dataclass
class BestShot:
    """The best face of a track so far: its crop (memory only), frame and quality score."""

    crop: np.ndarray
    frame: int
    at: float
    score: float


def shot_score(track: Track, quality: QualityReport) -> float:
    """Bigger, sharper, better-detected faces make better shots (Frigate weighs by size too)."""
    sharp = min(1.0, quality.value("sharpness") / 100.0)
    return track.face.height * track.face.score * (0.5 + 0.5 * sharp)


#: Face height (px) from which a shot counts in full as evidence; smaller shots count less.
FULL_QUALITY_HEIGHT = 80.0


def shot_quality(track: Track, quality: QualityReport) -> float:
    """A shot's worth as evidence, 0.5 to 1: small, blurred or poorly detected faces give
    less reliable scores (genuine ones fall, and small faces look more alike)."""
    size = min(1.0, track.face.height / FULL_QUALITY_HEIGHT)
    sharp = min(1.0, quality.value("sharpness") / 60.0)
    detected = min(1.0, (track.face.score - 0.5) / 0.4)
    return max(0.5, min(1.0, 0.5 + 0.5 * size * sharp * detected))


class TrackShots:
    """One track's shots: when to template, and the best one so far."""

    def __init__(self, policy: ShotPolicy, first_at: float = 0.0) -> None:
        self.policy = policy
        self.first_at = first_at
        """Source seconds when the track was first detected (alert latency counts from it)."""
        self.templated = 0
        self.last_template_at = float("-inf")
        self.last_template_score = 0.0
        self.best: BestShot | None = None

    def wants_template(self, at: float, score: float) -> bool:
        since = at - self.last_template_at
        return (
            self.templated < self.policy.max_templates
            and since >= self.policy.min_interval
            and (
                score >= self.policy.min_gain * self.last_template_score
                or since >= self.policy.refresh_after
            )
        )

    def templated_at(self, at: float, score: float) -> None:
        self.templated += 1
        self.last_template_at, self.last_template_score = at, score

    def offer(self, image: np.ndarray, track: Track, frame: int, at: float, score: float) -> None:
        """Keep this shot's crop if it beats the best so far (the old crop is wiped)."""
        if self.best is not None and self.best.score >= score:
            return
        rows, cols = face_region(image, track.face.box, pad=0.4)
        self.forget()
        self.best = BestShot(image[rows, cols].copy(), frame, at, score)

    def forget(self) -> None:
        if self.best is not None:
            wipe(self.best.crop)
            self.best = None
