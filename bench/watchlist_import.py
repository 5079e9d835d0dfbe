"""Benchmark: import and vet N watchlist records (default 10,000) built from lfw-dev photos,
then build a snapshot of them for an authorised deployment (templates already exist).

    python bench/watchlist_import.py [--records 10000] [--workers N]

Targets on a 2-core machine: import + vetting under 5 minutes, snapshot under 1 minute.
Uses a temporary SQLite database and a throwaway vault key; prints the timings."""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import update  # noqa: E402

from govkit import Flow, add_people  # noqa: E402
from openlfr.domain.watchlist_csv import COLUMNS  # noqa: E402
from openlfr.services.watchlist_import import import_records  # noqa: E402
from openlfr.services.watchlists import build_snapshot  # noqa: E402
from openlfr.store.db import open_database  # noqa: E402
from openlfr.store.uow import UnitOfWork  # noqa: E402
from openlfr.store.vault import Vault  # noqa: E402
from openlfr.store.watchlist_tables import DuplicateFlagRow  # noqa: E402


def write_csv(lfw: Path, count: int, folder: Path) -> Path:
    """One record per photo (cycling if needed); image names relative to `lfw`."""
    photos = sorted(p.relative_to(lfw) for p in lfw.glob("*/*.jpg"))
    path = folder / "records.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for number, photo in enumerate(islice(cycle(photos), count)):
            writer.writerow(
                {
                    "reference": f"B{number:06d}",
                    "category": "wanted_by_courts",
                    "legal_basis": "Warrant (benchmark)",
                    "date_of_birth": "1980-01-01",
                    "review_date": "2031-01-01",
                    "image": str(photo),
                    "image_source": "police",
                    "captured_on": "2020-01-01",
                    "disabled": "no",
                    "gender_transition": "no",
                }
            )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    data = Path(os.environ.get("OPENLFR_DATA", ROOT.parent / "shared" / "data"))
    lfw = data / "lfw-dev"
    with tempfile.TemporaryDirectory(prefix="openlfr-bench-") as tmp:
        folder = Path(tmp)
        database = open_database(f"sqlite:///{folder / 'bench.db'}")
        uow = UnitOfWork(database.sessions)
        add_people(uow)
        vault = Vault(secrets.token_bytes(32))
        csv_path = write_csv(lfw, args.records, folder)

        started = time.perf_counter()
        report = import_records(uow, "alice", csv_path, lfw, vault, workers=args.workers)
        imported = time.perf_counter() - started
        print(
            f"import + vetting of {args.records:,} rows: {imported:.1f} s "
            f"({len(report.imported):,} imported, {len(report.refused):,} refused, "
            f"{len(report.duplicates):,} duplicate pairs flagged)"
        )

        with uow:  # lfw-dev has 2,879 people: cycling makes true duplicates; accept them all
            uow.session.execute(
                update(DuplicateFlagRow).values(
                    resolution="bench", resolved_by="bench", resolved_at=datetime.now(UTC)
                )
            )
            uow.commit()
        ref = Flow(uow).authorised(terms={"max_watchlist_size": max(1, args.records)})
        started = time.perf_counter()
        snapshot = build_snapshot(uow, "gail", ref, vault)
        built = time.perf_counter() - started
        print(
            f"snapshot of {snapshot.size:,} records: {built:.1f} s "
            f"({len(snapshot.excluded):,} left out)"
        )
        database.dispose()


if __name__ == "__main__":
    main()
