"""Bulk import of watchlist records into the force's pool: CSV plus an image folder.

Every row is checked by the rules of `domain/watchlist_csv.py` and every image passes the
enrolment quality gate (on every core, via `biometrics.batch`). A record is stored whole or not
at all: if any of its rows is refused, the record is refused and each of its rows is reported;
the other records are imported. With `all_or_nothing`, any refusal stores nothing. The import is
one transaction, from the importer's role to the duplicate flags, with one audit record."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from openlfr.biometrics.batch import enrol_stills
from openlfr.biometrics.quality import ENROLMENT
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.problems import Problem, Where
from openlfr.domain.watchlist import Duplicate, WatchlistRefused, require_importer
from openlfr.domain.watchlist_csv import (
    CheckedRows,
    CsvRow,
    ImageFile,
    check_rows,
    missing_columns,
    whole_records,
)
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.services.steps import load_actor
from openlfr.services.watchlist_vetting import flag_duplicates, image_context
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.store.watchlist_repositories import SealedEnrolment, SealedRecord

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reference: str
    problems: tuple[Problem, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.problems)

    @property
    def summary(self) -> Problem:
        """The row's refusal in one sentence that names it."""
        text = f"line {self.line} ({self.reference}): {'; '.join(self.reasons)}"
        return Problem("row_refused", text, Where(row=self.line))


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    images: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


def import_records(
    uow: UnitOfWork,
    by: str,
    csv_path: Path,
    images_dir: Path,
    vault: Vault,
    *,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    now: datetime | None = None,
) -> ImportReport:
    now = now_or(now)
    with uow:
        role = require_importer(load_actor(uow, by))
        policy = active_policy(uow, now)
        rows = _read_csv(csv_path)
        paths = _locate(rows, images_dir)
        found = {name: where for name, (where, _) in paths.items()}
        checked = check_rows(rows, found, policy, now.date())
        refused = checked.refused_lines
        clean = [row for row in rows if row.line not in refused]
        templates, refused_images = _enrol(clean, paths, progress, workers)
        checked = whole_records(checked, refused_images)
        report = _report(rows, checked)
        if all_or_nothing and report.refused:
            raise WatchlistRefused([row.summary for row in report.refused])
        report.replaced = uow.watchlist_pool.present(report.imported)
        sealed = _seal(uow, vault, checked, paths, templates, now)
        uow.watchlist_pool.put(sealed, by, now)
        report.duplicates = flag_duplicates(uow, vault, set(report.imported), now)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="watchlist.records_imported",
                entity=Entity("watchlist_pool", _digest(csv_path)),
                after={
                    "file": csv_path.name,
                    "records": len(report.imported),
                    "images": report.images,
                    "replaced": report.replaced,
                    "refused_lines": [r.line for r in report.refused],
                    "duplicates_flagged": len(report.duplicates),
                },
                at=now,
            )
        )
        uow.commit()
    return report


def _read_csv(path: Path) -> list[CsvRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if problems := missing_columns(path.name, reader.fieldnames or []):
            raise WatchlistRefused(problems)
        return [
            CsvRow(reader.line_num, {k: (v or "").strip() for k, v in cells.items() if k})
            for cells in reader
        ]


def _locate(rows: list[CsvRow], images_dir: Path) -> dict[str, tuple[ImageFile, Path]]:
    """Each image named in the file: whether it is there, inside the image folder."""
    folder = images_dir.resolve()
    located = {}
    for name in {row.cells["image"] for row in rows} - {""}:
        path = (images_dir / name).resolve()
        if not path.is_relative_to(folder):
            located[name] = (ImageFile.OUTSIDE, path)
        else:
            located[name] = (ImageFile.FOUND if path.is_file() else ImageFile.MISSING, path)
    return located


def _enrol(
    rows: list[CsvRow],
    paths: dict[str, tuple[ImageFile, Path]],
    progress: Progress | None,
    workers: int | None,
) -> tuple[dict[int, bytes], list[Problem]]:
    """Templates by CSV line, and the quality gate's refusals."""
    templates: dict[int, bytes] = {}
    refused: list[Problem] = []
    results = enrol_stills([paths[row.cells["image"]][1] for row in rows], ENROLMENT, workers)
    for done, (row, result) in enumerate(zip(rows, results, strict=True), start=1):
        if result.sample is None:
            where = Where(row=row.line, field="image")
            refused.extend(Problem("image_quality", reason, where) for reason in result.reasons)
        else:
            templates[row.line] = np.asarray(result.sample.template, np.float32).tobytes()
        if progress:
            progress(done, len(rows))
    return templates, refused


def _report(rows: list[CsvRow], checked: CheckedRows) -> ImportReport:
    accepted = checked.accepted
    by_line: dict[int, list[Problem]] = {}
    for problem in checked.problems:
        if problem.where.row is not None:
            by_line.setdefault(problem.where.row, []).append(problem)
    return ImportReport(
        imported=list(accepted),
        images=sum(len(record.images) for record in accepted.values()),
        refused=[
            RefusedRow(row.line, row.reference, tuple(by_line[row.line]))
            for row in rows
            if row.line in by_line
        ],
    )


def _seal(
    uow: UnitOfWork,
    vault: Vault,
    checked: CheckedRows,
    paths: dict[str, tuple[ImageFile, Path]],
    templates: dict[int, bytes],
    now: datetime,
) -> Iterator[SealedRecord]:
    """Each accepted record under a container of its own, sealed as it is stored."""
    for reference, record in checked.accepted.items():
        box = vault.new_container(uow.vault_keys, now)
        images = []
        for position, row in enumerate(checked.members[reference]):
            image = paths[row.cells["image"]][1].read_bytes()
            images.append(
                SealedEnrolment(
                    reference,
                    position,
                    vault.encrypt(box, image, image_context(reference, position, "image")),
                    vault.encrypt(
                        box, templates[row.line], image_context(reference, position, "template")
                    ),
                )
            )
        yield SealedRecord(record, box, tuple(images))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
