"""The decision over a track's shots as they arrive, replayed on shot sequences recorded from a
generated walk-past (bench/walkpast_latency.py --record; scores against a watchlist of 500,
subjects renamed): a clear face alerts on its first good shot, a hard one before its track
ends, a stranger never. No video and no clock: the shots carry their own times."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openlfr.live.decision import DecisionRule, Shot, replay, shots_from

RULE = DecisionRule()
RECORDED = json.loads((Path(__file__).with_name("recorded_shots.json")).read_text())


def _track(kind: str) -> list[Shot]:
    (found,) = [t for t in RECORDED if t["kind"] == kind]
    return shots_from(found["shots"])


def _strangers() -> list[list[Shot]]:
    return [shots_from(t["shots"]) for t in RECORDED if t["kind"] == "stranger"]


def test_a_clear_face_alerts_on_its_first_good_shot() -> None:
    decision = replay(RULE, 0.45, _track("easy"))
    assert decision is not None
    assert (decision.subject, decision.at, decision.at_end) == ("listed-1", 0.0, False)


def test_a_hard_face_alerts_on_its_second_shot_while_still_in_view() -> None:
    shots = _track("hard")
    assert all(s.score < 0.45 + RULE.strong_margin for s in shots)  # no shot is strong alone
    decision = replay(RULE, 0.45, shots)
    assert decision is not None and decision.subject == "listed-2"
    assert decision.at == shots[1].at and not decision.at_end


def test_a_face_close_to_the_threshold_alerts_before_its_track_ends() -> None:
    # Its best shots score 0.41 to 0.45: found at 0.40 (a small watchlist's floor), from its
    # fourth shot of eight, 1.2 s before its track ended; never at 0.45.
    shots = _track("hard, close to the threshold")
    decision = replay(RULE, 0.40, shots)
    assert decision is not None and decision.subject == "listed-3"
    assert not decision.at_end and decision.at == shots[3].at < shots[-1].at
    assert replay(RULE, 0.45, shots) is None


@pytest.mark.parametrize("number", range(5))
def test_a_stranger_never_alerts(number: int) -> None:
    # Lookalikes of watchlisted people, up to 0.47 on one shot of eight.
    shots = _strangers()[number]
    assert max(s.score for s in shots) >= 0.45  # each touched the threshold at least once
    assert replay(RULE, 0.45, shots) is None


def test_shots_that_point_at_two_people_wait_for_one_to_lead() -> None:
    shots = [
        Shot(0.0, 1.0, "a", 0.50),
        Shot(0.1, 1.0, "b", 0.50),
        Shot(0.2, 1.0, "a", 0.49),
        Shot(0.3, 1.0, "a", 0.50),
    ]
    decision = replay(RULE, 0.45, shots)
    assert decision is not None and (decision.subject, decision.at) == ("a", 0.2)
    assert replay(RULE, 0.45, shots[:2]) is None  # a tie: no one, even at the end


def test_no_shot_below_the_threshold_counts_and_small_shots_count_less() -> None:
    assert RULE.worth(0.449, 1.0, 0.45) == 0.0
    assert RULE.worth(0.45, 1.0, 0.45) == pytest.approx(1.0)
    assert RULE.worth(0.53, 1.0, 0.45) == pytest.approx(2.0)
    assert RULE.worth(0.53, 0.5, 0.45) == pytest.approx(1.0)
