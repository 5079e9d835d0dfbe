"""Reading a policy TOML file, and pointing at the line at fault when it is wrong."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from openlfr.domain.errors import PolicyInvalid
from openlfr.domain.policy import Policy

BUNDLED = "policy_mps.toml"

_ARRAY_TABLE = re.compile(r"^\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE = re.compile(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*=")
_TOML_AT = re.compile(r"at line (\d+), column (\d+)")


@lru_cache(maxsize=8)
def parse_policy(text: str) -> Policy:
    """Parse and validate policy text; any fault is a PolicyInvalid naming the key and line.
    Cached by text (a Policy is frozen): every request reads the account rules of the active
    policy, and parsing takes milliseconds."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.search(str(exc))
        raise PolicyInvalid(
            f"not valid TOML: {exc}", int(found.group(1)) if found else None
        ) from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = _key_lines(text)
        faults = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = _line_of(lines, loc)
            where = f"line {line}, " if line else ""
            key = ".".join(str(part) for part in loc) or "(top level)"
            faults.append((line, f"{where}key {key}: {error['msg']}"))
        raise PolicyInvalid("; ".join(message for _, message in faults), faults[0][0]) from None


def load_policy_file(path: Path) -> Policy:
    return parse_policy(path.read_text(encoding="utf-8"))


def bundled_policy_text() -> str:
    return resources.files("openlfr.domain").joinpath(BUNDLED).read_text(encoding="utf-8")


def bundled_policy() -> Policy:
    return parse_policy(bundled_policy_text())


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each table and key path (array tables indexed as pydantic does) to its first line."""
    paths: dict[tuple[str | int, ...], int] = {}
    seen: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if match := _ARRAY_TABLE.match(line):
            name = tuple(match.group(1).split("."))
            index = seen.get(name, 0)
            seen[name] = index + 1
            paths.setdefault(name, number)
            table = (*name, index)
        elif match := _TABLE.match(line):
            table = tuple(match.group(1).split("."))
        elif match := _KEY.match(line):
            paths.setdefault((*table, match.group(1)), number)
            continue
        else:
            continue
        paths.setdefault(table, number)
    return paths


def _line_of(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int | None:
    """The line of the longest known prefix of loc: the key itself, else its table."""
    for cut in range(len(loc), 0, -1):
        if (line := lines.get(loc[:cut])) is not None:
            return line
    return None
