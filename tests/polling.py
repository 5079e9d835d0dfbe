"""Waiting for something another process or thread does, with a bound and a reason."""

from __future__ import annotations

import time

import pytest


def wait_for(condition, timeout: float, what: str, every: float = 0.25):  # type: ignore[no-untyped-def]
    """Poll until `condition()` is truthy (returned), or fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    pytest.fail(f"not within {timeout:.0f} s: {what}")
