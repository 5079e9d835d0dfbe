"""After the deployment: nothing of the snapshot can be read back, a receipt proves what went,
and the DPO can still answer from references alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from snapkit import pool
from sqlalchemy import func, select
from wlkit import Row, portrait

from govkit import END, START, Flow
from openlfr.biometrics.engine import FaceEngine
from openlfr.biometrics.imageio import load_image
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.roles import Actor, Role
from openlfr.domain.watchlist import WatchlistRefused
from openlfr.services import operations
from openlfr.services.redress import redress
from openlfr.services.users import add_user
from openlfr.services.watchlist_destruction import destroy_due, destroy_for_deployment, receipts
from openlfr.services.watchlists import build_snapshot, load_live_watchlist, redress_query
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.store.vault_keys import VaultKeyRow
from openlfr.store.watchlist_tables import SnapshotRow, SnapshotTemplateRow


def _closed_with_snapshot(
    uow: UnitOfWork, vault: Vault, data_dir: Path, tmp: Path
) -> tuple[str, str]:
    pool(uow, vault, data_dir, tmp, [Row("X1", "p1.jpg"), Row("X2", "p2.jpg")])
    ref = Flow(uow).prepared()
    report = build_snapshot(uow, "gail", ref, vault)
    operations.mark_ready(uow, "gail", ref)
    operations.start(uow, "gail", ref, now=START + timedelta(minutes=5))
    operations.stop(uow, "gail", ref, "Window ending", now=END - timedelta(minutes=5))
    operations.close(uow, "gail", ref, "Ran as authorised", now=END)
    return ref, report.snapshot_id


def test_destruction_leaves_no_readable_image_or_template_and_a_verified_receipt(
    uow: UnitOfWork, db: Database, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    ref, snapshot_id = _closed_with_snapshot(uow, vault, data_dir, tmp_path)
    with uow:
        wrapped = uow.session.scalar(
            select(VaultKeyRow.wrapped_key)
            .join(SnapshotRow, SnapshotRow.container_id == VaultKeyRow.id)
            .where(SnapshotRow.id == snapshot_id)
        )
    with pytest.raises(PermissionRefused, match="Gold or the data protection officer"):
        destroy_for_deployment(uow, "sam", ref, vault, now=END)
    [receipt] = destroy_for_deployment(uow, "gail", ref, vault, now=END + timedelta(hours=1))

    assert (receipt.records, receipt.templates, receipt.images) == (2, 2, 2)
    assert receipt.deployment == ref and not receipt.overdue
    assert receipts(uow, snapshot_id) == [receipt]
    with uow:
        assert uow.audit.verify().ok
        left = uow.session.scalar(select(func.count()).select_from(SnapshotTemplateRow))
        assert left == 0
        snapshot = uow.session.get(SnapshotRow, snapshot_id)
        assert snapshot is not None and snapshot.destroyed_at is not None
        assert snapshot.container_id is None
        keys = (
            select(func.count()).select_from(VaultKeyRow).where(VaultKeyRow.wrapped_key == wrapped)
        )
        assert uow.session.scalar(keys) == 0
    with pytest.raises(WatchlistRefused):
        load_live_watchlist(uow, ref, vault)

    if db.engine.dialect.name == "sqlite":
        db.dispose()
        on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("openlfr.db*"))
        image = portrait(data_dir, 1).read_bytes()
        template = FaceEngine().enrol(load_image(portrait(data_dir, 1))).template
        assert np.asarray(template, np.float32).tobytes() not in on_disk
        assert image[1000:1064] not in on_disk
        assert wrapped is not None and wrapped not in on_disk  # the data key is shredded


def test_the_sweep_destroys_what_finished_deployments_still_hold(
    sqlite_uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    _, snapshot_id = _closed_with_snapshot(sqlite_uow, vault, data_dir, tmp_path)
    [receipt] = destroy_due(sqlite_uow, vault, now=END + timedelta(hours=30))
    assert receipt.snapshot_id == snapshot_id and receipt.overdue  # policy: 24 h after close
    assert destroy_due(sqlite_uow, vault, now=END + timedelta(hours=31)) == []


def test_a_deployment_still_running_keeps_its_watchlist(
    sqlite_uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    pool(sqlite_uow, vault, data_dir, tmp_path, [Row("X1", "p1.jpg")])
    ref = Flow(sqlite_uow).authorised()
    build_snapshot(sqlite_uow, "gail", ref, vault)
    with pytest.raises(WatchlistRefused, match="destroyed once it is closed"):
        destroy_for_deployment(sqlite_uow, "gail", ref, vault)


def test_redress_answers_from_references_after_destruction(
    uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    ref, _ = _closed_with_snapshot(uow, vault, data_dir, tmp_path)
    destroy_for_deployment(uow, "gail", ref, vault, now=END)
    add_user(
        uow, "admin", Actor(username="dora", display_name="Dora DPO", roles=frozenset({Role.DPO}))
    )
    [entry] = redress_query(uow, "dora", "X1")
    assert (entry.deployment, entry.category) == (ref, "wanted_by_courts")
    assert entry.destroyed_at is not None
    assert redress_query(uow, "dora", "NOBODY") == []
    with pytest.raises(PermissionRefused):
        redress_query(uow, "gail", "X1")
    with pytest.raises(PermissionRefused):
        redress(uow, "gail", "X1")
    answer = redress(uow, "dora", "X1")
    assert (answer.watchlists, answer.alerts) == ([entry], [])
    with uow:
        asked = uow.audit.history("watchlist_person", "X1")
    assert [(e.actor, e.action) for e in asked] == [  # one record a question; none if refused
        ("dora", "watchlist.redress_query"),
        ("dora", "redress.query"),
    ]
    assert asked[1].after == {"deployments": [ref], "alerts": []}
