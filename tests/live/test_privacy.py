"""The privacy guarantee, proved on a real crowd: after the engine has seen every face in the
clip against a watchlist of other people, no file, database row, log line or queued message
holds a crop or a template of anyone in it."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from livekit import deployment_gate

from govkit import START, Flow
from openlfr.biometrics.detector import Face, FaceDetector
from openlfr.biometrics.embedder import OnnxEmbedder
from openlfr.biometrics.engine import FaceEngine
from openlfr.live.desk import AlertDesk, AlertHub
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.matcher import FrozenWatchlist
from openlfr.live.sources import Pacing, VideoFile
from openlfr.services.alerts import StoreAlertSink
from openlfr.store.db import Database
from openlfr.store.vault import Vault


class RecordingEmbedder(OnnxEmbedder):
    """The real embedder, keeping a copy of every probe template and aligned face it makes so
    the test can search for them afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[bytes] = []
        self.crops: list[bytes] = []

    def align(self, image: np.ndarray, face: Face) -> np.ndarray:
        aligned = super().align(image, face)
        self.crops.append(aligned.tobytes())
        return aligned

    def embed(self, aligned: np.ndarray, *, probe: bool, mirror: bool | None = None) -> np.ndarray:
        template = super().embed(aligned, probe=probe, mirror=mirror)
        if probe:
            self.templates.append(template.astype(np.float32).tobytes())
        return template


def test_no_trace_of_a_non_matched_face_is_kept(
    sqlite_flow: Flow,
    sqlite_db: Database,
    data_dir: Path,
    walkpast_watchlist: FrozenWatchlist,
    vault: Vault,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    ref = sqlite_flow.live()
    recorder = RecordingEmbedder()
    hub = AlertHub()
    inbox = hub.subscribe()
    engine = LiveEngine(
        {"cam-1": VideoFile(data_dir / "video/crowd-1080p/crowd.mp4", Pacing.VIDEO)},
        walkpast_watchlist,
        AlertDesk(ref, StoreAlertSink(sqlite_db, vault), hub),
        deployment_gate(sqlite_flow.uow, ref),
        EngineSettings(threshold=0.45, pacing=Pacing.VIDEO, detect_side=960),
        START + timedelta(minutes=10),
        faces=lambda s: FaceEngine(
            FaceDetector(max_side=s.detect_side, coarse_side=None), recorder
        ),
    )
    metrics = engine.run()["cam-1"]
    assert not engine.errors
    assert metrics.faces_seen >= 5 and len(recorder.templates) >= 5  # the crowd was searched
    assert metrics.alerts == 0 and inbox.empty()  # nobody in the crowd is on the list

    files = [p for root in (tmp_path, Path("var")) if root.exists() for p in root.rglob("*")]
    assert not [p for p in files if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".npy"}]
    blobs = [p.read_bytes() for p in files if p.is_file()]
    assert any(b"SQLite format 3" in blob for blob in blobs)  # the database (and WAL) scanned
    for blob in blobs:
        assert b"\xff\xd8\xff" not in blob, "a JPEG was written"
        assert not any(t[:64] in blob for t in recorder.templates), "a template was written"
        assert not any(c[:256] in blob for c in recorder.crops[::7]), "a face crop was written"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(
        repr(np.frombuffer(t, np.float32)[:3])[7:30] in logged for t in recorder.templates
    )
