"""Facts about where the tests run that several fixtures need."""

from __future__ import annotations

import os


def under_ci() -> bool:
    """Under CI (CI=true) a missing service or data set fails the run instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
