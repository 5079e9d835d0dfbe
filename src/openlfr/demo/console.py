"""The web console served from the demo's own process, so it shares the engine's alert hub,
vault and previews. Plain http on 127.0.0.1 only: secure cookies are off, which browsers
require for http, and which is never right behind a real hostname."""

from __future__ import annotations

import threading
import time

import uvicorn

from openlfr.store.db import Database
from openlfr.web.app import create_app
from openlfr.web.engines import Engines
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings

HOST = "127.0.0.1"


class Console:
    def __init__(self, database: Database, live: LiveState, port: int) -> None:
        app = create_app(WebSettings(secure_cookies=False), database, live)
        self.engines: Engines = app.state.engines
        config = uvicorn.Config(
            app, host=HOST, port=port, log_level="warning", timeout_graceful_shutdown=1
        )
        self.url = f"http://{HOST}:{port}"
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="console", daemon=True)

    def start(self, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the console did not start on {self.url} (port in use?)")
            time.sleep(0.05)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
