"""What the console shares with the live engine running in the same process: the alert hub
(pub/sub for server-sent events), the vault that holds alert images, and camera previews."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import Request

from openlfr.live.desk import AlertHub
from openlfr.store.vault import Vault

PreviewSource = Callable[[], bytes | None]
"""Returns the camera's latest blurred preview JPEG (see `live.privacy.blurred_preview`)."""


class LiveState:
    def __init__(self, hub: AlertHub | None = None, vault: Vault | None = None) -> None:
        self.hub = hub or AlertHub()
        self._vault = vault
        self._previews: dict[tuple[str, str], PreviewSource] = {}
        self._lock = threading.Lock()

    def vault(self) -> Vault:
        """The vault, from OPENLFR_VAULT_KEY(_FILE) unless one was given."""
        if self._vault is None:
            self._vault = Vault.from_environment()
        return self._vault

    def attach_preview(self, deployment_id: str, camera: str, source: PreviewSource) -> None:
        with self._lock:
            self._previews[(deployment_id, camera)] = source

    def cameras_with_preview(self, deployment_id: str) -> set[str]:
        with self._lock:
            return {camera for (d, camera) in self._previews if d == deployment_id}

    def preview(self, deployment_id: str, camera: str) -> bytes | None:
        with self._lock:
            source = self._previews.get((deployment_id, camera))
        return source() if source else None


def live_state(request: Request) -> LiveState:
    state: LiveState = request.app.state.live
    return state
