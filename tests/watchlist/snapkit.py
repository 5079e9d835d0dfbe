"""A pool of real, vetted records for the snapshot tests."""

from __future__ import annotations

from pathlib import Path

from wlkit import Row, portrait, write_import

from openlfr.services.watchlist_import import ImportReport, import_records
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


def pool(
    uow: UnitOfWork, vault: Vault, data_dir: Path, folder: Path, rows: list[Row]
) -> ImportReport:
    """Import rows whose image is 'pN.jpg' (London-set person N) or 'pNs.jpg' (smiling)."""
    files = {}
    for row in rows:
        number = int(row.image[1:].split(".")[0].rstrip("s"))
        files[row.image] = portrait(data_dir, number, smiling="s." in row.image)
    csv_path, images = write_import(folder, rows, files)
    return import_records(uow, "alice", csv_path, images, vault, workers=1)
