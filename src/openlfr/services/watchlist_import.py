"""Bulk import of watchlist records into the force's pool: CSV plus an image folder.

Every row is validated and every image passes the enrolment quality gate (on every core, via
`biometrics.batch`). A record is stored whole or not at all: if any of its rows is refused, the
record is refused and each of its rows is reported; the other records are imported. With
`all_or_nothing`, any refusal stores nothing. Everything stored is written in one transaction,
in batches, with one audit record; then the new templates are vetted for duplicates."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from pydantic import ValidationError
from sqlalchemy import delete, insert, select

from openlfr.biometrics.batch import enrol_stills
from openlfr.biometrics.quality import ENROLMENT
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.watchlist import (
    Duplicate,
    ImageSource,
    WatchlistRecord,
    WatchlistRefused,
    policy_problems,
    require_importer,
)
from openlfr.services.clock import now_or
from openlfr.services.policy import active_policy
from openlfr.services.steps import load_actor
from openlfr.services.watchlist_vetting import flag_duplicates, image_context
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Container, Vault
from openlfr.store.watchlist_tables import WatchlistImageRow, WatchlistRecordRow

COLUMNS = (
    "reference",
    "category",
    "legal_basis",
    "date_of_birth",
    "review_date",
    "image",
    "image_source",
    "captured_on",
    "disabled",
    "gender_transition",
)
_YES, _NO = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}
BATCH = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reference: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    images: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    path: Path | None = None
    reasons: list[str] = field(default_factory=list)


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
        uow.commit()
    rows = _read_csv(csv_path)
    for row in rows:
        row.path = _image_path(row, images_dir)
    records = _records(rows, lambda r: policy_problems(r, policy, now.date()))
    candidates = [row for row in rows if not row.reasons and row.path is not None]
    templates = _enrol(candidates, progress, workers)
    report = ImportReport()
    for reference, (_, members) in records.items():
        _refuse_siblings(members)
        if not any(row.reasons for row in members):
            report.imported.append(reference)
            report.images += len(members)
    report.refused = [
        RefusedRow(row.line, row.cells.get("reference", ""), tuple(row.reasons))
        for row in rows
        if row.reasons
    ]
    if all_or_nothing and report.refused:
        raise WatchlistRefused(
            [f"line {r.line} ({r.reference}): {'; '.join(r.reasons)}" for r in report.refused]
        )
    with uow:
        session = uow.session
        kept = {ref: records[ref] for ref in report.imported}
        report.replaced = list(
            session.scalars(
                select(WatchlistRecordRow.reference).where(WatchlistRecordRow.reference.in_(kept))
            )
        )
        _store(uow, vault, by, now, kept, templates)
        report.duplicates = flag_duplicates(uow, vault, set(kept), now)
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


def _read_csv(path: Path) -> list[_Row]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise WatchlistRefused([f"{path.name}: missing columns {', '.join(missing)}"])
        return [
            _Row(reader.line_num, {k: (v or "").strip() for k, v in cells.items() if k})
            for cells in reader
        ]


def _image_path(row: _Row, images_dir: Path) -> Path | None:
    name = row.cells["image"]
    if not name:
        row.reasons.append("no image file named")
        return None
    path = (images_dir / name).resolve()
    if not path.is_relative_to(images_dir.resolve()):
        row.reasons.append(f"image {name} is outside the image folder")
        return None
    if not path.is_file():
        row.reasons.append(f"image {name} not found")
        return None
    return path


def _records(
    rows: list[_Row], checks: Callable[[WatchlistRecord], list[str]]
) -> dict[str, tuple[WatchlistRecord | None, list[_Row]]]:
    """Group rows by reference into records; note every problem on the rows at fault."""
    groups: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.cells["reference"]].append(row)
    records: dict[str, tuple[WatchlistRecord | None, list[_Row]]] = {}
    for reference, members in groups.items():
        first = members[0].cells
        person = ("category", "legal_basis", "date_of_birth", "review_date", "disabled")
        for row in members[1:]:
            if differing := [c for c in person if row.cells[c] != first[c]]:
                row.reasons.append(f"differs from line {members[0].line} on {', '.join(differing)}")
        record = _record(reference, members)
        if record is not None:
            for problem in checks(record):
                members[0].reasons.append(problem)
        records[reference] = (record, members)
    return records


def _record(reference: str, members: list[_Row]) -> WatchlistRecord | None:
    cells = members[0].cells
    flags = {}
    for name in ("disabled", "gender_transition"):
        value = cells[name].lower()
        if value not in _YES | _NO:
            members[0].reasons.append(f"{name}: write yes or no, not {cells[name]!r}")
        flags[name] = value in _YES
    images = [
        {
            "file": r.cells["image"],
            "source": r.cells["image_source"],
            "captured_on": r.cells["captured_on"],
        }
        for r in members
    ]
    try:
        return WatchlistRecord.model_validate(
            {
                "reference": reference,
                "category": cells["category"],
                "legal_basis": cells["legal_basis"],
                "date_of_birth": cells["date_of_birth"] or None,
                "review_date": cells["review_date"] or None,
                "images": images,
                **flags,
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            where = error["loc"]
            row = members[where[1]] if where[0] == "images" and len(where) > 1 else members[0]
            row.reasons.append(_readable(error))
        return None


def _readable(error: dict) -> str:
    """A pydantic error as a sentence about the CSV column."""
    loc = error["loc"]
    column = {"file": "image", "source": "image_source"}.get(str(loc[-1]), str(loc[-1]))
    if column == "legal_basis":
        return "missing legal basis"
    if error["type"] in {"missing", "date_type", "none_required"} or error.get("input") in (
        "",
        None,
    ):
        return f"{column}: missing"
    if column == "image_source":
        sources = ", ".join(source.value for source in ImageSource)
        return f"image_source: {error['input']!r} is not one of {sources}"
    return f"{column}: {error['msg']}"


def _refuse_siblings(members: list[_Row]) -> None:
    refused = [row.line for row in members if row.reasons]
    if refused:
        for row in members:
            if not row.reasons:
                row.reasons.append(f"another image of this record was refused (line {refused[0]})")


def _enrol(rows: list[_Row], progress: Progress | None, workers: int | None) -> dict[int, bytes]:
    """Templates by CSV line; a refused image gets the quality gate's reasons."""
    templates: dict[int, bytes] = {}
    paths = [row.path for row in rows if row.path is not None]
    results = enrol_stills(paths, ENROLMENT, workers)
    for done, (row, result) in enumerate(zip(rows, results, strict=True), start=1):
        if result.sample is None:
            row.reasons.extend(result.reasons)
        else:
            templates[row.line] = np.asarray(result.sample.template, np.float32).tobytes()
        if progress:
            progress(done, len(rows))
    return templates


def _store(
    uow: UnitOfWork,
    vault: Vault,
    by: str,
    now: datetime,
    records: dict[str, tuple[WatchlistRecord | None, list[_Row]]],
    templates: dict[int, bytes],
) -> None:
    """Replace any earlier record of the same reference; each record gets its own container."""
    session = uow.session
    for chunk in _chunks(list(records), BATCH):
        session.execute(delete(WatchlistRecordRow).where(WatchlistRecordRow.reference.in_(chunk)))
        record_rows, image_rows = [], []
        for reference in chunk:
            record, members = records[reference]
            assert record is not None
            box = vault.new_container(uow.vault_keys, now)
            record_rows.append(_record_row(record, box, by, now))
            for position, (image, row) in enumerate(zip(record.images, members, strict=True)):
                assert row.path is not None
                image_rows.append(
                    {
                        "reference": reference,
                        "position": position,
                        "file": image.file,
                        "source": image.source.value,
                        "captured_on": image.captured_on,
                        "image": vault.encrypt(
                            box, row.path.read_bytes(), image_context(reference, position, "image")
                        ),
                        "template": vault.encrypt(
                            box, templates[row.line], image_context(reference, position, "template")
                        ),
                    }
                )
        session.flush()
        session.execute(insert(WatchlistRecordRow), record_rows)
        session.execute(insert(WatchlistImageRow), image_rows)


def _record_row(record: WatchlistRecord, box: Container, by: str, now: datetime) -> dict:
    return {
        "reference": record.reference,
        "category": record.category,
        "legal_basis": record.legal_basis,
        "date_of_birth": record.date_of_birth,
        "disabled": record.disabled,
        "gender_transition": record.gender_transition,
        "review_date": record.review_date,
        "container_id": box.id,
        "imported_by": by,
        "imported_at": now,
    }


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
