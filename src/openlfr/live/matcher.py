"""The watchlist search and the decision over a track's shots.

The matcher owns the frozen watchlist (a `TemplateIndex` and its snapshot hash) and keeps, per
track, only scores and subject references; every probe template is wiped the moment it has
been compared. When a track's shots are evidence enough is `decision.DecisionRule`'s call, asked
at every shot and once more when the track ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from openlfr.biometrics.index import TemplateIndex
from openlfr.domain.alerts import Candidate
from openlfr.live.decision import DecisionRule, Shot, add
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
    at: float = 0.0
    """Source seconds of the shot."""
    quality: float = 1.0
    """How much the shot is worth as evidence, 0 to 1 (`bestshot.shot_quality`)."""


@dataclass(frozen=True)
class Match:
    track: str
    subject: str
    score: float
    candidates: list[Candidate]


@dataclass
class Evidence:
    """What the matcher remembers of a track: subject references and scores, never a face."""

    scores: dict[str, list[float]] = field(default_factory=dict)
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    worth: dict[str, float] = field(default_factory=dict)
    """Each subject's evidence under the decision rule (`decision.DecisionRule.worth`)."""


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
            shot = Shot(message.at, message.quality, best.subject, best.score)
            add(evidence.worth, self.rule, self.threshold, shot)
        return self._decide(message.track, ended=False)

    def track_ended(self, track: str) -> Match | None:
        """The last chance: a track that leaves with less evidence than a running one needs
        still alerts on the end's smaller amount; its evidence is dropped either way."""
        match = self._decide(track, ended=True)
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

    def _decide(self, track: str, ended: bool) -> Match | None:
        evidence = self._evidence.get(track)
        if evidence is None or not evidence.worth:
            return None
        subject = self.rule.decide(evidence.worth, ended)
        if subject is None:
            return None
        return Match(track, subject, max(evidence.scores[subject]), evidence.candidates[subject])
