"""Bulk import: every row validated, the quality gate's reasons reported, nothing half-stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from wlkit import Row, portrait, write_import

from openlfr.domain.errors import PermissionRefused
from openlfr.domain.watchlist import WatchlistRefused
from openlfr.services.watchlist_import import import_records
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


def _files(data_dir: Path, tmp_path: Path) -> dict[str, Path]:
    misc = data_dir / "stills" / "misc"
    blurred, truncated = tmp_path / "blurred.jpg", tmp_path / "truncated.jpg"
    Image.open(portrait(data_dir, 4)).filter(ImageFilter.GaussianBlur(6)).save(blurred)
    truncated.write_bytes(portrait(data_dir, 5).read_bytes()[:2000])
    return {
        "good1.jpg": portrait(data_dir, 1),
        "good2.jpg": portrait(data_dir, 2),
        "good3.jpg": portrait(data_dir, 3),
        "good3b.jpg": portrait(data_dir, 3, smiling=True),
        "two.jpg": misc / "two_people.jpg",
        "small.jpg": misc / "obama-240p.jpg",
        "blurred.jpg": blurred,
        "truncated.jpg": truncated,
    }


def test_mixed_import_reports_each_refused_row_and_stores_only_whole_records(
    uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    rows = [
        Row("W1", "good1.jpg"),
        Row("W2", "good2.jpg", category="shoplifter"),
        Row("W3", "good3.jpg", legal_basis=""),
        Row("W4", "two.jpg"),
        Row("W5", "small.jpg"),
        Row("W6", "blurred.jpg"),
        Row("W7", "truncated.jpg"),
        Row("W8", "good3b.jpg"),
        Row("W8", "two.jpg"),  # a second, refused image: the whole record is refused
        Row("W9", "missing.jpg"),
        Row("W10", "good2.jpg", image_source="newspaper"),
    ]
    csv_path, images = write_import(tmp_path / "import", rows, _files(data_dir, tmp_path))
    report = import_records(uow, "alice", csv_path, images, vault, workers=1)

    assert report.imported == ["W1"]
    refused = {(r.line, r.reference): r.reasons for r in report.refused}
    assert list(refused) == [
        (3, "W2"), (4, "W3"), (5, "W4"), (6, "W5"), (7, "W6"), (8, "W7"), (9, "W8"),
        (10, "W8"), (11, "W9"), (12, "W10"),
    ]  # fmt: skip
    assert refused[3, "W2"] == ("unknown category 'shoplifter'",)
    assert refused[4, "W3"] == ("missing legal basis",)
    assert refused[5, "W4"] == ("2 faces found; one face per image needed",)
    assert refused[6, "W5"] == ("face 71 px high; at least 80 px needed",)
    assert any("blurred" in reason for reason in refused[7, "W6"])
    assert len(refused[8, "W7"]) == 1 and "truncated" in refused[8, "W7"][0].lower()
    assert refused[9, "W8"] == ("another image of this record was refused (line 10)",)
    assert refused[10, "W8"] == ("2 faces found; one face per image needed",)
    assert refused[11, "W9"] == ("image missing.jpg not found",)
    assert refused[12, "W10"][0].startswith("image_source: 'newspaper' is not one of")
    with uow:
        pool = uow.watchlist_pool.sealed()
    assert [sealed.record.reference for sealed in pool] == ["W1"]
    assert sum(len(sealed.images) for sealed in pool) == 1


def test_all_or_nothing_stores_nothing_when_a_row_is_refused(
    uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    rows = [Row("A1", "good1.jpg"), Row("A2", "two.jpg")]
    csv_path, images = write_import(tmp_path, rows, _files(data_dir, tmp_path))
    with pytest.raises(WatchlistRefused, match="line 3"):
        import_records(uow, "alice", csv_path, images, vault, workers=1, all_or_nothing=True)
    with uow:
        assert uow.watchlist_pool.sealed() == []


def test_only_the_officers_preparing_deployments_may_import(
    sqlite_uow: UnitOfWork, vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    csv_path, images = write_import(tmp_path, [Row("A1", "good1.jpg")], _files(data_dir, tmp_path))
    with pytest.raises(PermissionRefused, match="otto needs one of"):
        import_records(sqlite_uow, "otto", csv_path, images, vault, workers=1)


def test_a_csv_without_the_required_columns_is_refused(
    sqlite_uow: UnitOfWork, vault: Vault, tmp_path: Path
) -> None:
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("reference,image\nR1,a.jpg\n")
    with pytest.raises(WatchlistRefused, match="missing columns category, legal_basis"):
        import_records(sqlite_uow, "alice", csv_path, tmp_path, vault, workers=1)
