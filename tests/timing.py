"""Time in tests: clocks a test moves by hand, so that nothing a test checks depends on the wall
clock or on how fast the machine is; and waiting, with a bound and a reason, for what another
process does."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest


class HandClock:
    """Seconds (as `time.monotonic` gives them) that move only when the test moves them."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


class HeldClock:
    """The clock of a background loop that reads it once per run (the retention scheduler):
    it always reads `at`, and its second reading, which means the first run has finished,
    holds the loop until `release()`; so the test looks at the result of exactly one run."""

    def __init__(self, at: datetime) -> None:
        self.at, self.readings = at, 0
        self.first_run_done = threading.Event()
        self._go = threading.Event()

    def __call__(self) -> datetime:
        self.readings += 1
        if self.readings == 2:
            self.first_run_done.set()
            self._go.wait(60)
        return self.at

    def release(self) -> None:
        self._go.set()


def threads_named(name: str) -> list[threading.Thread]:
    """The live threads of this name: a stopped background loop leaves none."""
    return [t for t in threading.enumerate() if t.name == name and t.is_alive()]


def wait_for(condition, timeout: float, what: str, every: float = 0.25):  # type: ignore[no-untyped-def]
    """Poll until `condition()` is truthy (returned), or fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    pytest.fail(f"not within {timeout:.0f} s: {what}")
