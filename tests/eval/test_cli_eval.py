"""`openlfr simulate walkpast` builds a walk-past with its truth, and `openlfr eval video`
scores the live engine on it; both refuse what they cannot read."""

from __future__ import annotations

import json
from pathlib import Path

from command_line import Cli

PHOTOS = Path(__file__).parents[2] / "demo" / "photos"


def test_a_simulated_walk_past_is_scored_by_the_video_protocol(cli: Cli, tmp_path: Path) -> None:
    built = tmp_path / "walkpast"
    size = ["--watchlisted", "1", "--watchlist-size", "3", "--seconds", "3"]
    made = json.loads(cli("simulate", "walkpast", str(PHOTOS), "--out", str(built), *size).output)
    assert made == {"appearances": 1, "watchlisted": 1, "out": str(built)}
    truth = json.loads((built / "truth.json").read_text())
    assert (built / truth["video"]).is_file() and len(truth["watchlist"]) == 3

    out = tmp_path / "scored"
    scored = cli("eval", "video", str(built / "truth.json"), "--out", str(out), "--pacing", "video")
    assert "found 1/1, false alerts 0" in scored.output
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["found"], summary["false_alerts"], summary["duplicate_alerts"]) == (1, 0, 0)


def test_what_cannot_be_read_is_refused(cli: Cli, tmp_path: Path) -> None:
    missing = "no-such-folder"  # short: the error box wraps long paths
    refused = cli("simulate", "walkpast", missing, "--out", str(tmp_path / "o"), code=2)
    assert "does not exist" in refused.output
    assert "does not exist" in cli("eval", "video", missing, code=2).output
    assert "does not exist" in cli("eval", "identification", missing, code=2).output
