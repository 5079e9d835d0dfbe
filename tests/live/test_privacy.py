"""The privacy guarantee, proved on a real walk-past on SQLite and on PostgreSQL: two
watchlisted people alert among six strangers; afterwards no file in the data directory or the
temp directories, no database row, log line or printed output holds a probe template or a face
crop in any form, and every vault container is an alert's best shot of the person it names."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import MetaData, select
from traces import Traces, changed, files_under, images_in, read

from govkit import START, Flow
from openlfr.biometrics.detector import Face, FaceDetector
from openlfr.biometrics.embedder import OnnxEmbedder
from openlfr.biometrics.engine import FaceEngine
from openlfr.eval.video import Truth
from openlfr.live.desk import AlertDesk, AlertHub
from openlfr.live.engine import EngineSettings, LiveEngine
from openlfr.live.matcher import FrozenWatchlist
from openlfr.live.sources import Pacing, VideoFile
from openlfr.services.alerts import StoreAlertSink, list_alerts, view_alert_image
from openlfr.store.db import Database
from openlfr.store.vault import Vault

CLIP_FRAMES = 410
"""Frames 0-409 of the walk-past: Richard Gere and Ahmed Chalabi among six strangers."""
WATCHLISTED = {"Richard_Gere", "Ahmed_Chalabi"}


class RecordingEmbedder(OnnxEmbedder):
    """The real embedder, keeping a copy of every probe template and aligned face it makes so
    the test can search for them afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[np.ndarray] = []
        self.crops: list[np.ndarray] = []

    def align(self, image: np.ndarray, face: Face) -> np.ndarray:
        aligned = super().align(image, face)
        self.crops.append(aligned.copy())
        return aligned

    def embed(self, aligned: np.ndarray, *, probe: bool, mirror: bool | None = None) -> np.ndarray:
        template = super().embed(aligned, probe=probe, mirror=mirror)
        if probe:
            self.templates.append(template.copy())
        return template


@pytest.fixture(scope="module")
def clip(walkpast: Truth, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "walkpast-start.mp4"
    reader = cv2.VideoCapture(str(walkpast.video))
    fps = reader.get(cv2.CAP_PROP_FPS)
    ok, frame = reader.read()
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for _ in range(CLIP_FRAMES):
        assert ok
        writer.write(frame)
        ok, frame = reader.read()
    writer.release()
    reader.release()
    return path


def _rows(db: Database) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, as the database holds it."""
    tables = MetaData()
    tables.reflect(bind=db.engine)
    with db.engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(select(table))]
            for name, table in tables.tables.items()
        }


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def test_no_trace_of_a_stranger_is_kept(
    flow: Flow,
    db: Database,
    clip: Path,
    walkpast_watchlist: FrozenWatchlist,
    face_engine: FaceEngine,
    vault: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    system_temp = Path(tempfile.gettempdir())
    own_temp = tmp_path / "tmp"  # what the run writes through `tempfile` lands here
    own_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    pytest_temp = [p for p in tmp_path.parents if p.name.startswith("pytest-of-")]  # tests'
    watched = [system_temp, Path("var")]  # the demo's var/ holds its own JPEGs: new files only
    before = files_under(watched, skip=pytest_temp)

    ref = flow.live()
    with flow.uow:
        deployment_id = flow.uow.deployments.named(ref).id
    recorder = RecordingEmbedder()
    inbox = (hub := AlertHub()).subscribe()
    engine = LiveEngine(
        {"cam-1": VideoFile(clip, Pacing.VIDEO)},
        walkpast_watchlist,
        AlertDesk(deployment_id, StoreAlertSink(db, vault), hub),
        flow.gate(ref),
        EngineSettings(threshold=0.45, pacing=Pacing.VIDEO),
        START + timedelta(minutes=10),
        faces=lambda settings: FaceEngine(
            FaceDetector(max_side=settings.detect_side, coarse_side=None), recorder
        ),
    )
    metrics = engine.run()["cam-1"]
    assert not engine.errors
    raised = []
    while not inbox.empty():
        event = inbox.get_nowait()
        raised += [event.alert] if event.kind == "raised" else []
    assert {a.subject for a in raised} == WATCHLISTED  # the watchlisted people alert ...
    assert metrics.faces_seen >= len(WATCHLISTED) + 6  # ... among the strangers, all searched
    assert len(recorder.templates) > metrics.faces_seen and recorder.crops

    traces = Traces(recorder.templates, recorder.crops, face_engine)
    rows = _rows(db)
    assert len(rows["alerts"]) == len(raised) == metrics.alerts  # one row per alert, no more
    containers = {row["id"] for row in rows["vault_keys"]}  # one vault container per alert
    assert containers == {row["image_container"] for row in rows["alerts"]}
    for table, found in rows.items():
        for row in found:
            for column, value in row.items():
                blob = _as_bytes(value)
                found = traces.found_in(blob)
                assert not found, f"{table}.{column}: {found}"
                assert not images_in(blob), f"a plaintext image in {table}.{column}"

    written = [*files_under([tmp_path]), *changed(before, files_under(watched, pytest_temp))]
    if db.engine.dialect.name == "sqlite":
        assert any(p.suffix == ".db" for p in written)  # the database file is among them
    for path in written:
        blob = read(path)
        found = traces.found_in(blob)
        assert not found, f"{path}: {found}"
        if path.is_relative_to(tmp_path):  # ours: not even an alert's image in plaintext
            assert not images_in(blob), f"a plaintext image in {path}"
    printed = capfd.readouterr()
    logged = caplog.text + printed.out + printed.err  # as written then: arrays are wiped after
    found = traces.found_in(logged.encode())
    assert not found, f"logged or printed: {found}"

    for alert in list_alerts(flow.uow, ref):  # each container: the named person's best shot
        jpeg = view_alert_image(flow.uow, "otto", alert.id, vault)
        shot = face_engine.main_face(cv2.imdecode(np.frombuffer(jpeg, np.uint8), 1), probe=True)
        assert shot is not None, f"alert {alert.subject}: no face in its image"
        [best, *_] = walkpast_watchlist.index.search(shot.template[None], k=1)[0]
        assert best.subject == alert.subject, (alert.subject, best)
