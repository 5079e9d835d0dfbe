"""The watchlist search and the decision over a track's shots.

The matcher owns the frozen watchlist (a `TemplateIndex` and its snapshot hash) and keeps, per
track, only scores and subject references; every probe template is wiped the moment it has
been compared. A track is matched to a subject when enough of its shots agree at or above the
approved threshold, not on one frame."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from openlfr.biometrics.index import TemplateIndex
from openlfr.domain.alerts import Candidate
from openlfr.live.privacy import wipe


class Watchlist(Protocol):
    """What the engine needs of a frozen watchlist (see `services.watchlists`)."""

    @property
    def index(self) -> TemplateIndex: ...
    @property
    def snapshot_hash(self) -> str: ...


@dataclass(frozen=True)
class FrozenWatchlist:
    index: TemplateIndex
    snapshot_hash: str


@dataclass(frozen=True)
class TrackTemplate:
    """One probe template of one track. Never leaves the camera's process: it is wiped after
    its comparison."""

    camera: str
    track: str
    template: np.ndarray


@dataclass(frozen=True)
class Match:
    track: str
    subject: str
    score: float
    candidates: list[Candidate]


@dataclass(frozen=True)
class DecisionRule:
    agreeing_shots: int = 2
    """Shots whose best candidate is the subject at or above the threshold."""
    strong_margin: float = 0.08
    """One shot this far above the threshold is enough on its own."""


@dataclass
class Evidence:
    """What the matcher remembers of a track: subject references and scores, never a face."""

    scores: dict[str, list[float]] = field(default_factory=dict)
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)


class MatchDecider(Protocol):
    """Where the pipeline's templates are decided: the `Matcher` beside it (embedded), or a
    broker client whose decisions arrive later (distributed, `openlfr.distributed`)."""

    hold_seconds: float
    """How long an ended track's best shot is kept for a decision still on its way."""

    def consider(self, message: TrackTemplate) -> Match | None: ...
    def track_ended(self, track: str) -> Match | None: ...
    def forget(self, track: str) -> None: ...
    def decided(self) -> list[Match]:
        """Matches decided since the last call, for templates answered with None."""
        ...


class Matcher:
    hold_seconds = 0.0
    """Decisions are given at once, so nothing is held."""

    def __init__(
        self,
        watchlist: Watchlist,
        threshold: float,
        rule: DecisionRule | None = None,
        top_k: int = 5,
    ) -> None:
        self.watchlist, self.threshold = watchlist, threshold
        self.rule, self.top_k = rule or DecisionRule(), top_k
        self._evidence: dict[str, Evidence] = {}

    def consider(self, message: TrackTemplate) -> Match | None:
        """Compare one template (then wipe it); a Match once the track's shots decide."""
        (candidates,) = self.watchlist.index.search(message.template[np.newaxis], self.top_k)
        wipe(message.template)
        evidence = self._evidence.setdefault(message.track, Evidence())
        if candidates and candidates[0].score >= self.threshold:
            best = candidates[0]
            scores = evidence.scores.setdefault(best.subject, [])
            if not scores or best.score > max(scores):
                evidence.candidates[best.subject] = candidates
            scores.append(best.score)
        return self._decide(message.track, self.rule.agreeing_shots)

    def track_ended(self, track: str) -> Match | None:
        """A track that leaves with too few shots to agree still alerts on one above threshold,
        and its evidence is dropped either way."""
        match = self._decide(track, 1)
        self._evidence.pop(track, None)
        return match

    def forget(self, track: str) -> None:
        self._evidence.pop(track, None)

    def decided(self) -> list[Match]:
        return []

    def evidence(self, track: str) -> Evidence | None:
        """The track's evidence so far (a matcher service checkpoints it for its successor)."""
        return self._evidence.get(track)

    def restore(self, track: str, evidence: Evidence) -> None:
        self._evidence.setdefault(track, evidence)

    def _decide(self, track: str, needed: int) -> Match | None:
        evidence = self._evidence.get(track)
        if evidence is None or not evidence.scores:
            return None
        counts = Counter({subject: len(s) for subject, s in evidence.scores.items()})
        subject, agreeing = counts.most_common(1)[0]
        best = max(evidence.scores[subject])
        if agreeing >= needed or best >= self.threshold + self.rule.strong_margin:
            return Match(track, subject, best, evidence.candidates[subject])
        return None
