"""What the tests need from the machine, and what happens when it is missing (a pytest plugin,
see tests/conftest.py).

A test whose server, browser or data is missing calls `missing(NEED, why)`: it skips on a
newcomer's machine, and the run ends with a banner naming each skipped group, how many tests it
holds and the one command that installs what is missing, so `make test` never shrinks quietly.
Under CI (`CI=true`) or `make test-all` (`OPENLFR_TEST_ALL=1`) the same call fails the test."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest


@dataclass(frozen=True)
class Need:
    what: str
    """What the machine lacks, as the banner names it."""
    debian: str = ""
    """The Debian package that provides it; empty when no package does."""
    otherwise: str = ""
    """How to get it when no Debian package does."""


POSTGRES = Need("PostgreSQL", debian="postgresql")
REDIS = Need("Redis", debian="redis-server")
CHROMIUM = Need("Chromium", debian="chromium")
DATA = Need(
    "the shared test data",
    otherwise="OPENLFR_DATA=/path/to/shared/data make test  (the project's shared/data folder)",
)
NEEDS = (POSTGRES, REDIS, CHROMIUM, DATA)
_TAG = re.compile(r"needs (.+?) \(missing\)")


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def under_ci() -> bool:
    """CI sets CI=true: there a missing service or data set fails the run instead of skipping."""
    return _flag("CI")


def everything_required() -> bool:
    """CI, or `make test-all`: nothing may be skipped for want of a server, browser or data."""
    return under_ci() or _flag("OPENLFR_TEST_ALL")


def missing(need: Need, why: str) -> NoReturn:
    """Skip this test for want of `need` (named in the closing banner), or fail it when
    everything is required."""
    reason = f"needs {need.what} (missing): {why}"
    if everything_required():
        pytest.fail(f"{reason}; CI=true / make test-all require it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data folder (OPENLFR_DATA, else ../shared/data beside the checkout)."""
    raw = os.environ.get("OPENLFR_DATA", "")
    path = Path(raw) if raw else Path(__file__).resolve().parents[2] / "shared" / "data"
    if not path.is_dir():
        missing(DATA, f"no folder at {path} (OPENLFR_DATA={raw!r})")
    return path


def _skipped_for(report: pytest.TestReport) -> Need | None:
    longrepr = report.longrepr
    message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    found = _TAG.search(message)
    return next((n for n in NEEDS if found and n.what == found.group(1)), None)


def install_command(needs: list[Need]) -> list[str]:
    """The one command per kind of source: one apt-get line for every package missing."""
    packages = [n.debian for n in needs if n.debian]
    lines = [f"sudo apt-get install -y {' '.join(packages)}"] if packages else []
    return lines + [n.otherwise for n in needs if n.otherwise]


def _tests(count: int) -> str:
    return f"{count} test" if count == 1 else f"{count} tests"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    counts = Counter(
        need
        for need in (_skipped_for(r) for r in skipped if isinstance(r, pytest.TestReport))
        if need is not None
    )
    if not counts:
        return
    tests = sum(counts.values())
    write = terminalreporter.write_line
    terminalreporter.section(f"THE SUITE RAN SHORT: {_tests(tests)} skipped", sep="!", red=True)
    for need in NEEDS:
        if counts[need]:
            write(f"  {need.what:<22} {_tests(counts[need]):>10} skipped", red=True, bold=True)
    write("Install what is missing, then run `make test` again:")
    for line in install_command([n for n in NEEDS if counts[n]]):
        write(f"  {line}", bold=True)
    write("`make test-all` (or CI=true) fails instead of skipping.")
