"""The watchlist import file, row by row: pure rules over the cells of a CSV.

One row per image; the rows of one `reference` are one record and must agree on the person.
Each problem names its line and column (`Where(row=line, field=column)`), so the web and the
CLI print the same sentence against the same row. A record is stored whole or not at all: once
any of its rows is refused, its other rows are refused with it (`whole_records`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from openlfr.domain.policy import Policy
from openlfr.domain.problems import Problem, Where
from openlfr.domain.watchlist import ImageSource, WatchlistRecord, policy_problems

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
#: What the rows of one record must agree on.
PERSON = ("category", "legal_basis", "date_of_birth", "review_date", "disabled")
FLAGS = ("disabled", "gender_transition")
_YES, _NO = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}


class ImageFile(StrEnum):
    """Where a row's image file was looked for, and what was there."""

    FOUND = "found"
    OUTSIDE = "outside"  # the name leads out of the image folder
    MISSING = "missing"


@dataclass(frozen=True)
class CsvRow:
    """One row of the file: its line number and its cells by column (stripped)."""

    line: int
    cells: Mapping[str, str]

    @property
    def reference(self) -> str:
        return self.cells.get("reference", "")


@dataclass(frozen=True)
class CheckedRows:
    """Rows grouped into records (None: the record could not be read), and every problem."""

    records: dict[str, WatchlistRecord | None]
    members: dict[str, list[CsvRow]]
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused_lines(self) -> set[int]:
        return {p.where.row for p in self.problems if p.where.row is not None}

    @property
    def accepted(self) -> dict[str, WatchlistRecord]:
        """The records none of whose rows is refused, in the order of the file."""
        refused = self.refused_lines
        return {
            reference: record
            for reference, record in self.records.items()
            if record is not None and not any(r.line in refused for r in self.members[reference])
        }


def missing_columns(file_name: str, header: Sequence[str]) -> list[Problem]:
    """The file cannot be read at all without every column."""
    if missing := [c for c in COLUMNS if c not in header]:
        return [Problem("missing_columns", f"{file_name}: missing columns {', '.join(missing)}")]
    return []


def check_rows(
    rows: Sequence[CsvRow], images: Mapping[str, ImageFile], policy: Policy, today: date
) -> CheckedRows:
    """Every row's problems: its image file (as found in `images`, by name), whether the rows
    of a record agree, each cell, and the policy's rules for entering the pool."""
    problems = [p for row in rows for p in _image_problems(row, images)]
    members: dict[str, list[CsvRow]] = {}
    for row in rows:
        members.setdefault(row.cells["reference"], []).append(row)
    records: dict[str, WatchlistRecord | None] = {}
    for reference, group in members.items():
        problems.extend(_disagreements(group))
        record, found = _record(reference, group)
        problems.extend(found)
        if record is not None:
            first = group[0].line
            problems.extend(_at(first, p) for p in policy_problems(record, policy, today))
        records[reference] = record
    return CheckedRows(records, members, problems)


def whole_records(checked: CheckedRows, later: Sequence[Problem] = ()) -> CheckedRows:
    """Add problems found later (the quality gate), then refuse every other row of a record
    that has a refused row, naming the first refused line."""
    problems = [*checked.problems, *later]
    refused = {p.where.row for p in problems}
    for group in checked.members.values():
        lines = [row.line for row in group if row.line in refused]
        if lines:
            text = f"another image of this record was refused (line {lines[0]})"
            problems.extend(
                Problem("record_refused", text, Where(row=row.line))
                for row in group
                if row.line not in refused
            )
    return replace(checked, problems=problems)


def _image_problems(row: CsvRow, images: Mapping[str, ImageFile]) -> list[Problem]:
    name = row.cells["image"]
    where = Where(row=row.line, field="image")
    if not name:
        return [Problem("no_image", "no image file named", where)]
    found = images.get(name, ImageFile.MISSING)
    if found is ImageFile.OUTSIDE:
        return [Problem("image_outside", f"image {name} is outside the image folder", where)]
    if found is ImageFile.MISSING:
        return [Problem("image_not_found", f"image {name} not found", where)]
    return []


def _disagreements(group: Sequence[CsvRow]) -> list[Problem]:
    first = group[0]
    problems = []
    for row in group[1:]:
        if differing := [c for c in PERSON if row.cells[c] != first.cells[c]]:
            problems.append(
                Problem(
                    "rows_disagree",
                    f"differs from line {first.line} on {', '.join(differing)}",
                    Where(row=row.line, field=differing[0]),
                )
            )
    return problems


def _record(
    reference: str, group: Sequence[CsvRow]
) -> tuple[WatchlistRecord | None, list[Problem]]:
    first = group[0]
    problems = []
    flags = {}
    for name in FLAGS:
        value = first.cells[name].lower()
        if value not in _YES | _NO:
            text = f"{name}: write yes or no, not {first.cells[name]!r}"
            problems.append(Problem("not_yes_or_no", text, Where(row=first.line, field=name)))
        flags[name] = value in _YES
    images = [
        {
            "file": r.cells["image"],
            "source": r.cells["image_source"],
            "captured_on": r.cells["captured_on"],
        }
        for r in group
    ]
    try:
        record = WatchlistRecord.model_validate(
            {
                "reference": reference,
                "category": first.cells["category"],
                "legal_basis": first.cells["legal_basis"],
                "date_of_birth": first.cells["date_of_birth"] or None,
                "review_date": first.cells["review_date"] or None,
                "images": images,
                **flags,
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            if loc == ("images",) or loc[-1] == "file":
                continue  # said already: a row is an image, and its name is checked first
            image = loc[1] if loc[0] == "images" and len(loc) > 1 else None
            row = group[image] if isinstance(image, int) else first
            problems.append(_readable(error, row.line))
        return None, problems
    return record, problems


def _readable(error: ErrorDetails, line: int) -> Problem:
    """A pydantic error as a sentence about the CSV column."""
    name = str(error["loc"][-1])
    column = "image_source" if name == "source" else name
    where = Where(row=line, field=column)
    value: Any = error.get("input")
    if column == "legal_basis":
        return Problem("missing", "missing legal basis", where)
    if error["type"] in {"missing", "date_type", "none_required"} or value in ("", None):
        return Problem("missing", f"{column}: missing", where)
    if column == "image_source":
        sources = ", ".join(source.value for source in ImageSource)
        return Problem("not_a_source", f"image_source: {value!r} is not one of {sources}", where)
    return Problem("invalid", f"{column}: {error['msg']}", where)


def _at(line: int, problem: Problem) -> Problem:
    """A record's problem placed on the line that carries its person columns."""
    return replace(problem, where=replace(problem.where, row=line))
