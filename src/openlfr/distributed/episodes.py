"""The alert desk's episode book shared by every matcher of a deployment, in Redis.

With several partitions, one person can be matched by two matchers at once (cameras of
different partitions); the shared book and its per-subject lock make the second one add a
sighting to the first one's alert instead of paging the operator again. It holds alerts as the
database does (references, scores, times; never an image or a template), for a bounded time."""

from __future__ import annotations

from contextlib import AbstractContextManager

import redis

from openlfr.distributed.broker import Names
from openlfr.domain.alerts import EPISODE_WINDOW, Alert

#: An episode's alert outlives the window by far (the window is checked on video time), then
#: expires.
KEEP_SECONDS = int(EPISODE_WINDOW.total_seconds()) * 5
#: A lock holder that died frees the subject after this; a decision takes milliseconds.
LOCK_SECONDS = 10


class SharedEpisodes:
    def __init__(self, client: redis.Redis, names: Names) -> None:
        self.client, self.names = client, names

    def latest(self, subject: str) -> Alert | None:
        raw = self.client.get(self.names.episode(subject))
        return None if raw is None else Alert.model_validate_json(raw)

    def keep(self, alert: Alert) -> None:
        self.client.set(self.names.episode(alert.subject), alert.model_dump_json(), ex=KEEP_SECONDS)

    def guard(self, subject: str) -> AbstractContextManager[object]:
        name = self.names.episode(subject) + ":lock"
        lock: AbstractContextManager[object] = self.client.lock(
            name, timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS
        )
        return lock
