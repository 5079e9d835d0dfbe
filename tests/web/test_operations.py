"""The console's monitoring doors: /healthz says whether it can serve and which part cannot;
/metrics shows the engines of this process by camera id, and never a subject or a reference."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from web_world import World

from govkit import END, START
from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import enrol
from openlfr.live.desk import AlertDesk, AlertEvent, JsonlAlertSink
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.gate import EvaluationGate
from openlfr.live.sources import Pacing, VideoFile
from openlfr.web.app import create_app
from openlfr.web.settings import WebSettings

CAMERA = "ops-cam-7"


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text, 0 when absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    found = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_healthz_says_ok_and_which_part_fails(world: World) -> None:
    response = world.client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}
    nowhere = WebSettings(secure_cookies=False, broker_url="redis://127.0.0.1:1/0")
    failing = TestClient(create_app(nowhere, world.database, world.live_state)).get("/healthz")
    assert failing.status_code == 503
    assert failing.json() == {"status": "failing", "database": "ok", "broker": "unreachable"}


def test_metrics_count_a_cameras_frames_and_alerts_by_camera_id_only(
    world: World, data_dir: Path, tmp_path: Path
) -> None:
    client = world.client()
    before = client.get("/metrics").text
    folder = data_dir / "video" / "hamilton"
    stills = {
        "lin-manuel-miranda": [folder / "lin-manuel-miranda.png"],
        "alex-lacamoire": sorted(folder.glob("alex-lacamoire*")),
    }
    watchlist, _ = enrol(stills, FaceEngine())
    engine = LiveEngine(
        {CAMERA: VideoFile(folder / "short_hamilton_clip.mp4", Pacing.VIDEO)},
        watchlist,
        AlertDesk(world.live, JsonlAlertSink(tmp_path / "alerts.jsonl"), world.live_state.hub),
        EvaluationGate(END),
        EngineSettings(threshold=0.40, pacing=Pacing.VIDEO),
        START + timedelta(minutes=10),
    )
    listener = world.live_state.hub.subscribe()
    processed = engine.run()[CAMERA].frames_processed
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    counted = _sample(text, "openlfr_frames_processed_total", camera=CAMERA)
    assert counted - _sample(before, "openlfr_frames_processed_total", camera=CAMERA) == processed
    detections = _sample(text, "openlfr_detection_seconds_count", camera=CAMERA)
    assert detections >= processed
    assert _sample(text, "openlfr_template_seconds_count", camera=CAMERA) >= 2
    assert _sample(text, "openlfr_alert_latency_seconds_count", camera=CAMERA) >= 2
    events: list[AlertEvent] = list(listener.queue)
    assert [e.kind for e in events].count("raised") == 2
    assert _sample(text, "openlfr_queue_depth", queue="alert_listeners") >= len(events)
    world.live_state.hub.unsubscribe(listener)
    labels = set(re.findall(r'(\w+)="', text))
    assert labels <= {"camera", "queue", "partition", "le"}, labels
    for secret in (world.live, "lin-manuel-miranda", "alex-lacamoire", "hamilton"):
        assert secret not in text
