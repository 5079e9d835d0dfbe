"""A camera worker's monitoring doors (`openlfr worker --status-port`): /healthz while its loop
reaches the broker, /metrics with its cameras' frames and alerts and the decision streams' lag,
by camera id and partition number only."""

from __future__ import annotations

import base64
import json
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import redis
from processes import Procs

from openlfr.distributed.broker import BrokerKey, Names, new_broker_key
from openlfr.distributed.worker import Worker
from openlfr.live.engine import EngineSettings
from timing import wait_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def _sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    found = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_a_worker_serves_health_and_metrics(
    procs: Procs, deployment: str, watchlist_file: Path, short_clip: Path
) -> None:
    port = _free_port()
    procs.matcher(deployment, "m1", watchlist_file, f"cam-1={short_clip}")
    procs.worker(deployment, "w1", "--status-port", str(port))
    _, body = wait_for(lambda: (s := _get(port, "/healthz"))[0] == 200 and s, 60, "healthz")
    assert json.loads(body)["status"] == "ok"

    def alerted() -> str:
        text = _get(port, "/metrics")[1]
        return text if _sample(text, "openlfr_alert_latency_seconds_count", camera="cam-1") else ""

    text = wait_for(alerted, 90, "an alert's latency observed on the worker")
    assert _sample(text, "openlfr_frames_processed_total", camera="cam-1") > 0
    assert _sample(text, "openlfr_detection_seconds_count", camera="cam-1") > 0
    assert re.search(r'^openlfr_broker_lag\{partition="0"\} \d', text, re.MULTILINE)
    assert re.search(r'^openlfr_queue_depth\{queue="decisions cam-1"\} \d', text, re.MULTILINE)
    assert set(re.findall(r'(\w+)="', text)) <= {"camera", "queue", "partition", "le"}
    assert deployment not in text and "Richard_Gere" not in text and "Chalabi" not in text
    assert _get(port, "/anything-else")[0] == 404


def test_a_worker_that_has_not_reached_the_broker_is_failing() -> None:
    key = BrokerKey(base64.b64decode(new_broker_key()))
    worker = Worker(
        redis.Redis.from_url("redis://127.0.0.1:1/0"), Names("x", "y"), key, EngineSettings(0.5)
    )
    assert worker.health() == {"status": "failing", "cameras_running": 0}
