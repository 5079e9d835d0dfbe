"""A watchlist upload from the browser (one CSV and its images, multipart) written to a folder
the import service can read: sizes bounded, names checked so no file lands outside it."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from openlfr.domain.errors import Refusal

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_IMAGES = 900
"""Starlette parses at most 1,000 files per form; larger pools are imported with the CLI."""
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})


class UploadRefused(Refusal):
    """The upload itself is unusable; one line per problem."""


def safe_name(name: str | None) -> str | None:
    """The file's own name if it is a plain one (no folder, no '..', no hidden file)."""
    if not name or not SAFE_NAME.fullmatch(name) or ".." in name:
        return None
    return name


async def _read(upload: UploadFile, limit: int, problems: list[str]) -> bytes | None:
    content = await upload.read(limit + 1)
    if len(content) > limit:
        problems.append(f"{upload.filename}: larger than {limit // (1024 * 1024)} MB")
        return None
    return content


async def save_watchlist_upload(form: FormData, folder: Path) -> tuple[Path, Path]:
    """Write `records` (the CSV) and `images` into `folder`; returns (csv path, image folder).
    Refused as a whole (UploadRefused) if any file is missing, too big or badly named."""
    records = form.get("records")
    images = [item for item in form.getlist("images") if isinstance(item, UploadFile)]
    problems: list[str] = []
    if not isinstance(records, UploadFile) or not records.filename:
        problems.append("choose the watchlist CSV file")
    elif not records.filename.lower().endswith(".csv"):
        problems.append(f"{records.filename}: the records must be a .csv file")
    if not images:
        problems.append("choose the image files the CSV names")
    if len(images) > MAX_IMAGES:
        problems.append(f"{len(images)} images: at most {MAX_IMAGES} per upload")
    if problems:
        raise UploadRefused(problems)
    assert isinstance(records, UploadFile)
    image_dir = folder / "images"
    image_dir.mkdir()
    csv_path = folder / "records.csv"
    content = await _read(records, MAX_CSV_BYTES, problems)
    if content is not None:
        csv_path.write_bytes(content)
    total, seen = 0, set()
    for upload in images:
        name = safe_name(upload.filename)
        if name is None or Path(name).suffix.lower() not in IMAGE_SUFFIXES:
            problems.append(f"{upload.filename!r}: not a plain .jpg, .png or .webp file name")
            continue
        if name in seen:
            problems.append(f"{name}: uploaded twice")
            continue
        seen.add(name)
        data = await _read(upload, MAX_IMAGE_BYTES, problems)
        if data is not None:
            total += len(data)
            (image_dir / name).write_bytes(data)
    if total > MAX_TOTAL_BYTES:
        problems.append(f"the images total more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
    if problems:
        raise UploadRefused(problems)
    return csv_path, image_dir
