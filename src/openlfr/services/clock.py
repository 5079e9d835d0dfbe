"""Services take `now` so tests and replays can fix the clock; the default is the real one."""

from __future__ import annotations

from datetime import UTC, datetime


def now_or(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)
