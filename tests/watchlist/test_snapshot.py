"""The per-deployment snapshot: only what the authority allows, frozen by a stable hash, and
the only thing the live engine may load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from snapkit import pool
from wlkit import Row

from govkit import Flow, form
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.watchlist import WatchlistRefused, snapshot_hash
from openlfr.services import deployments, operations
from openlfr.services.watchlist_vetting import resolve_duplicate, withdraw_record
from openlfr.services.watchlists import build_snapshot, load_live_watchlist
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import ContainerDestroyed, Vault


def test_named_records_outside_the_authority_are_refused(
    uow: UnitOfWork, flow: Flow, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    rows = [
        Row("OK1", "p1.jpg"),
        Row("BAIL", "p2.jpg", category="bail_or_court_conditions"),
        Row("TEEN", "p3.jpg", date_of_birth="2014-01-01"),  # 16 at the deployment (2030)
        Row("PRESS", "p4.jpg", image_source="non_police"),
    ]
    pool(uow, vault, data_dir, tmp_path, rows)
    ref = flow.authorised()
    with pytest.raises(WatchlistRefused) as refused:
        build_snapshot(uow, "gail", ref, vault, references=["OK1", "BAIL", "TEEN", "PRESS"])
    assert refused.value.problems == [
        "BAIL: category bail_or_court_conditions is not authorised",
        "PRESS: special categories ['non_police_images'] are not authorised",
        "TEEN: special categories ['under_18'] are not authorised",
    ]
    assert deployments.get_deployment(uow, ref).checklist.watchlist is None

    report = build_snapshot(uow, "gail", ref, vault)  # all that fit: the misfits are left out
    assert report.size == 1
    assert {e.reference for e in report.excluded} == {"BAIL", "TEEN", "PRESS"}
    assert "false alerts per 10,000 passers-by" in report.false_alerts


def test_approved_special_categories_are_allowed(
    sqlite_uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    pool(sqlite_uow, vault, data_dir, tmp_path, [Row("TEEN", "p3.jpg", date_of_birth="2014-01-01")])
    rationale = [{"category": "under_18", "rationale": "Two missing 16-year-olds at risk."}]
    approved = [{"subject": "under_18", "approved": True, "reasons": "Safeguarding need"}]
    ref = Flow(sqlite_uow).authorised(
        form(special_categories=rationale),
        scrutiny=approved,
        terms={"special_categories": ["under_18"]},
    )
    report = build_snapshot(sqlite_uow, "gail", ref, vault)
    assert report.special_categories == ["under_18"]


def test_the_hash_is_stable_and_changes_when_a_record_changes(
    uow: UnitOfWork, flow: Flow, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    pool(uow, vault, data_dir, tmp_path / "a", [Row("H1", "p1.jpg"), Row("H2", "p2.jpg")])
    ref = flow.authorised()
    first = build_snapshot(uow, "gail", ref, vault)
    again = build_snapshot(uow, "gail", ref, vault)
    assert again.snapshot_hash == first.snapshot_hash
    assert again.snapshot_id != first.snapshot_id
    with uow:  # the first was destroyed as superseded, in the same step
        assert uow.snapshots.live_ids(uow.deployments.named(ref).id) == [again.snapshot_id]
    pool(uow, vault, data_dir, tmp_path / "b", [Row("H2", "p2s.jpg")])  # a newer image of H2
    changed = build_snapshot(uow, "gail", ref, vault)
    assert changed.snapshot_hash != first.snapshot_hash
    live = load_live_watchlist(uow, ref, vault)
    assert live.snapshot_hash == changed.snapshot_hash
    assert deployments.get_deployment(uow, ref).checklist.watchlist.snapshot_hash == (
        changed.snapshot_hash
    )


def test_snapshot_hash_covers_references_and_templates() -> None:
    a, b = np.ones(4, np.float32).tobytes(), np.zeros(4, np.float32).tobytes()
    assert snapshot_hash([("R1", a), ("R2", b)]) == snapshot_hash([("R2", b), ("R1", a)])
    assert snapshot_hash([("R1", a), ("R2", b)]) != snapshot_hash([("R1", b), ("R2", a)])
    assert snapshot_hash([("R1", a)]) != snapshot_hash([("R3", a)])


def test_stale_records_are_excluded(
    uow: UnitOfWork, flow: Flow, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    rows = [Row("FRESH", "p1.jpg"), Row("STALE", "p2.jpg", review_date="2030-05-31")]
    pool(uow, vault, data_dir, tmp_path, rows)
    report = build_snapshot(uow, "gail", flow.authorised(), vault)
    assert report.size == 1
    [excluded] = report.excluded
    assert excluded.reference == "STALE"
    assert excluded.reasons == ("review date 2030-05-31 has passed: is this person still sought?",)


def test_duplicates_are_flagged_and_kept_out_until_a_person_resolves_them(
    uow: UnitOfWork, flow: Flow, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    rows = [Row("D1", "p1.jpg"), Row("D2", "p1s.jpg"), Row("D3", "p2.jpg")]
    report = pool(uow, vault, data_dir, tmp_path, rows)
    assert [(d.reference_a, d.reference_b) for d in report.duplicates] == [("D1", "D2")]
    assert report.duplicates[0].score >= 0.70
    ref = flow.authorised()
    snapshot = build_snapshot(uow, "gail", ref, vault)
    assert {e.reference for e in snapshot.excluded} == {"D1", "D2"}
    resolve_duplicate(uow, "alice", "D2", "D1", "Checked: twins, both wanted")
    assert build_snapshot(uow, "gail", ref, vault).size == 3


def test_withdrawing_one_of_a_pair_shreds_it_and_lets_the_other_in(
    sqlite_uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    report = pool(
        sqlite_uow, vault, data_dir, tmp_path, [Row("D1", "p1.jpg"), Row("D2", "p1s.jpg")]
    )
    assert [(d.reference_a, d.reference_b) for d in report.duplicates] == [("D1", "D2")]
    with sqlite_uow:
        [withdrawn] = sqlite_uow.watchlist_pool.sealed(["D2"])
    with pytest.raises(PermissionRefused, match="otto needs one of"):
        withdraw_record(sqlite_uow, "otto", "D2", "Same person as D1", vault)
    withdraw_record(sqlite_uow, "alice", "D2", "Same person as D1", vault)
    with pytest.raises(WatchlistRefused, match="D2 is not in the watchlist pool"):
        withdraw_record(sqlite_uow, "alice", "D2", "Same person as D1", vault)
    with sqlite_uow:
        assert sqlite_uow.watchlist_pool.present(["D1", "D2"]) == ["D1"]
        assert sqlite_uow.duplicates.unresolved() == []
        with pytest.raises(ContainerDestroyed):
            vault.container(sqlite_uow.vault_keys, withdrawn.container.id)
    snapshot = build_snapshot(sqlite_uow, "gail", Flow(sqlite_uow).authorised(), vault)
    assert (snapshot.size, snapshot.excluded) == (1, [])


def test_the_live_engine_loads_only_the_imported_snapshot_of_an_authorised_deployment(
    uow: UnitOfWork, flow: Flow, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    pool(uow, vault, data_dir, tmp_path, [Row("L1", "p1.jpg"), Row("L2", "p2.jpg")])
    ref = flow.prepared()  # the fake import from govkit: no such snapshot exists
    with pytest.raises(WatchlistRefused, match="no frozen snapshot"):
        load_live_watchlist(uow, ref, vault)
    report = build_snapshot(uow, "gail", ref, vault)
    live = load_live_watchlist(uow, ref, vault)
    assert live.size == 2 and live.index.subject_count == 2
    assert (
        live.image("L1")
        == (data_dir / "redistributable/london-set/001/neutral_front.jpg").read_bytes()
    )
    assert live.snapshot_hash == report.snapshot_hash
    assert live.threshold == 0.45
    submitted = Flow(uow).submitted()
    with pytest.raises(WatchlistRefused, match="is submitted"):
        load_live_watchlist(uow, submitted, vault)
    operations.mark_ready(uow, "gail", ref)
    assert load_live_watchlist(uow, ref, vault).snapshot_hash == report.snapshot_hash
