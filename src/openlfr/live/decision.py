"""When a track's shots are evidence enough to alert: a sequential rule, asked as each shot
arrives, so that a clear face alerts on its first good shots and a harder one while the person
is still in view; the end of the track is only the last chance.

Each searched shot whose best candidate scores at or above the approved threshold is evidence
for that subject, worth `quality x (1 + (score - threshold) / strong_margin)`: a full-quality
shot just at the threshold is worth 1, one a `strong_margin` above it 2, and a small, blurred or
poorly detected shot (quality down to 0.5) less. A subject is decided once its evidence reaches
`needed` and leads every other subject's by `lead` (a track whose shots point at two people
waits); when the track ends, the smaller `at_end` suffices for the leader. No shot below the
threshold ever counts, so the approved threshold stays the floor. Pure: the matcher keeps the
evidence, this decides on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionRule:
    needed: float = 2.0
    """Evidence that decides while the track runs: two good agreeing shots, or one strong."""
    at_end: float = 1.5
    """Evidence that decides when the track ends: one good shot clearly above the threshold
    (a stranger's track of eight shots may touch the threshold once; bench/walkpast_latency.py
    recorded lookalikes at 0.46 against a watchlist of 500)."""
    strong_margin: float = 0.08
    """Score above the threshold that doubles a shot's worth."""
    lead: float = 1.0
    """How far the leading subject's evidence must be ahead of the next subject's."""

    def worth(self, score: float, quality: float, threshold: float) -> float:
        """What one shot adds to its best candidate's evidence (0 below the threshold)."""
        if score < threshold:
            return 0.0
        return quality * (1.0 + (score - threshold) / self.strong_margin)

    def decide(self, evidence: Mapping[str, float], ended: bool) -> str | None:
        """The subject the evidence decides on, or None to wait (or, at the end, to let go)."""
        ranked = sorted(evidence.items(), key=lambda item: item[1], reverse=True)
        if not ranked:
            return None
        subject, amount = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if amount - runner_up < self.lead and not ended:
            return None
        if ended and amount - runner_up <= 0:
            return None
        return subject if amount >= (self.at_end if ended else self.needed) else None


@dataclass(frozen=True)
class Shot:
    """One searched shot of a track as the rule sees it (recorded sequences replay these)."""

    at: float
    quality: float
    subject: str
    score: float


@dataclass(frozen=True)
class Decision:
    subject: str
    at: float
    """Source seconds of the shot that decided, or of the track's last shot at its end."""
    at_end: bool


def replay(rule: DecisionRule, threshold: float, shots: Sequence[Shot]) -> Decision | None:
    """The rule run over a track's shots in order, as the matcher runs it live."""
    evidence: dict[str, float] = {}
    for shot in shots:
        add(evidence, rule, threshold, shot)
        subject = rule.decide(evidence, ended=False)
        if subject is not None:
            return Decision(subject, shot.at, False)
    subject = rule.decide(evidence, ended=True)
    return Decision(subject, shots[-1].at, True) if subject is not None and shots else None


def add(evidence: dict[str, float], rule: DecisionRule, threshold: float, shot: Shot) -> None:
    worth = rule.worth(shot.score, shot.quality, threshold)
    if worth > 0:
        evidence[shot.subject] = evidence.get(shot.subject, 0.0) + worth


def shots_from(records: Iterable[Mapping[str, float | str]]) -> list[Shot]:
    """Shots from recorded dictionaries (`bench/walkpast_latency.py --record`)."""
    return [
        Shot(float(r["at"]), float(r["quality"]), str(r["subject"]), float(r["score"]))
        for r in records
    ]
