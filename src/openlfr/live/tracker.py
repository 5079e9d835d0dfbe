"""Following each face from frame to frame, so a person is one track, not a face per frame.

Greedy IoU matching with a centre-distance fallback (a face that moved further than its box
between two processed frames, as happens when frames are dropped). Track age is measured in
seconds of source time, so dropping frames does not end tracks early."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from openlfr.biometrics.detector import Face


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = w * h
    return inter / (aw * ah + bw * bh - inter) if inter > 0 else 0.0


@dataclass
class Track:
    id: str
    face: Face
    first_at: float
    last_at: float
    hits: int = 1


@dataclass
class TrackUpdate:
    active: list[Track]
    """Tracks seen in this frame."""
    ended: list[Track]
    """Tracks not seen for longer than the tracker's patience: their person has gone."""


class Tracker:
    def __init__(
        self, camera: str, patience: float = 0.6, min_iou: float = 0.2, max_shift: float = 1.0
    ) -> None:
        self.camera, self.patience, self.min_iou, self.max_shift = (
            camera,
            patience,
            min_iou,
            max_shift,
        )
        self.tracks: dict[str, Track] = {}
        self._ids = itertools.count(1)
        self.started = 0
        """Tracks ever started: the camera's count of faces seen."""

    def update(self, faces: list[Face], at: float) -> TrackUpdate:
        pairs = sorted(
            (
                (self._affinity(track, face), track.id, i)
                for track in self.tracks.values()
                for i, face in enumerate(faces)
            ),
            reverse=True,
        )
        taken_tracks: set[str] = set()
        taken_faces: set[int] = set()
        active: list[Track] = []
        for affinity, track_id, i in pairs:
            if affinity <= 0 or track_id in taken_tracks or i in taken_faces:
                continue
            track = self.tracks[track_id]
            track.face, track.last_at, track.hits = faces[i], at, track.hits + 1
            taken_tracks.add(track_id)
            taken_faces.add(i)
            active.append(track)
        for i, face in enumerate(faces):
            if i not in taken_faces:
                track = Track(f"{self.camera}/{next(self._ids)}", face, at, at)
                self.tracks[track.id] = track
                self.started += 1
                active.append(track)
        ended = [t for t in self.tracks.values() if at - t.last_at > self.patience]
        for track in ended:
            del self.tracks[track.id]
        return TrackUpdate(active, ended)

    def end_all(self) -> list[Track]:
        ended, self.tracks = list(self.tracks.values()), {}
        return ended

    def _affinity(self, track: Track, face: Face) -> float:
        """IoU, or failing that a small positive score for a nearby face of similar size."""
        overlap = iou(track.face.box, face.box)
        if overlap >= self.min_iou:
            return 1.0 + overlap
        (tx, ty), (fx, fy) = track.face.centre, face.centre
        size = max(track.face.height, face.height)
        distance = ((tx - fx) ** 2 + (ty - fy) ** 2) ** 0.5 / size
        similar = 0.6 <= face.height / max(track.face.height, 1e-6) <= 1.6
        return 1.0 - distance / self.max_shift if similar and distance < self.max_shift else 0.0
