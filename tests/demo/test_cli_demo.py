"""`openlfr demo` as the README runs it: headless, one watchlisted walker among one passer-by,
to a published register entry, then the commands it prints to look further work as printed;
and the choices it cannot honour are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from command_line import Cli


def test_the_demo_publishes_and_its_printed_commands_work(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLFR_VAULT_KEY", "")  # the demo makes its own; restored after
    out = tmp_path / "demo"
    small = ["--watchlisted", "1", "--passers-by", "1", "--pacing", "video", "--seed", "7"]
    said = cli("demo", "--headless", "--out", str(out), *small).output
    assert "found 1 of the 1 watchlisted people who walked past" in said
    assert "alerts for anyone else: 0" in said
    assert "register entry (published):" in said and "Total alerts: 1" in said
    assert os.environ["OPENLFR_VAULT_KEY"] not in said  # the run's key is never shown

    printed = [line.split() for line in said.splitlines() if "openlfr register export" in line]
    [[setting, _, *args]] = printed  # OPENLFR_DATABASE_URL=... openlfr register export ...
    name, value = setting.split("=", 1)
    monkeypatch.setenv(name, value)
    exported = cli(*args).output
    assert "OpenLFR demo: synthetic walk-past" in exported  # the published row, as printed
    assert "audit chain intact" in cli("audit", "verify").output


def test_the_demo_refuses_what_it_cannot_honour(cli: Cli, tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"")
    both = cli("demo", "--webcam", "0", "--video", str(video), code=2)
    assert "choose --webcam or --video, not both" in both.output
    nowhere = cli("demo", "--photos", "no-such-folder", code=2)
    assert "no-such-folder not found; run from the project" in nowhere.output
    assert "does not exist" in cli("demo", "--watchlist", "no-such-folder", code=2).output
