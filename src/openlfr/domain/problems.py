"""A problem found by a rule: where it is, what it is, and the sentence a person reads.

Rules return problems rather than raising on the first one, so that a form shows every problem
beside its own field and the CLI prints the same sentences; `where` is structured so that no
caller has to guess the field from the words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in a form or file: a section (or form) key, a field name, a row number."""

    section: str = ""
    field: str = ""
    row: int | None = None


NOWHERE = Where()


@dataclass(frozen=True)
class Problem:
    """`code` is stable for programs (tests, the web layer); `text` is for people."""

    code: str
    text: str
    where: Where = NOWHERE

    def __str__(self) -> str:
        return self.text


def as_problem(item: Problem | str) -> Problem:
    """A bare sentence is a problem of the whole request."""
    return item if isinstance(item, Problem) else Problem("refused", item)
