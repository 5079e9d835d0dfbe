"""A camera worker's own small HTTP server for monitoring: `/healthz` (the worker's loop is
turning and the broker answers) and `/metrics` (Prometheus text from `live.telemetry`: frames,
detection and template times, alert latency by camera id; the decision streams' lag by
partition number). A worker has no console, so this is how an operations team watches it;
bind it to the internal network (`openlfr worker --status-port`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis
from prometheus_client import CONTENT_TYPE_LATEST

from openlfr.distributed.broker import GROUP, Names
from openlfr.live.telemetry import Telemetry

Health = Callable[[], dict[str, object]]
"""The worker's state: {"status": "ok" | "failing", ...} with no personal data."""


def decision_lag(client: redis.Redis, names: Names, partitions: int) -> dict[str, float]:
    """Per partition: messages the matchers' consumer group has not read yet (Redis 7 `lag`;
    the stream's length where Redis cannot tell)."""
    lags: dict[str, float] = {}
    for partition in range(partitions):
        stream = names.decide(partition)
        groups = {g["name"].decode(): g for g in client.xinfo_groups(stream)}
        lag = groups.get(GROUP, {}).get("lag")
        lags[str(partition)] = float(lag if lag is not None else client.xlen(stream))
    return lags


class StatusServer:
    def __init__(self, host: str, port: int, telemetry: Telemetry, health: Health) -> None:
        telemetry_, health_ = telemetry, health

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/metrics":
                    self._send(200, CONTENT_TYPE_LATEST, telemetry_.exposition())
                elif self.path == "/healthz":
                    state = health_()
                    code = 200 if state.get("status") == "ok" else 503
                    self._send(code, "application/json", json.dumps(state).encode())
                else:
                    self._send(404, "text/plain; charset=utf-8", b"not found\n")

            def _send(self, code: int, content_type: str, body: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Scrapes every few seconds would drown the worker's log."""

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="status-server"
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
