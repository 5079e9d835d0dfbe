"""Which pool records a deployment's snapshot takes: selection against the authority, pure.

A record is left out, with its reasons, when it does not fit the authorised categories and
special categories (derived on the window's start date), its review date has passed, or it is
half of a duplicate pair nobody has resolved. Records named by the officer must all be in the
pool and fit the authority, or the snapshot is refused; so is one larger than the authorised
size, or one with nothing in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from openlfr.domain.authority import AuthorityTerms
from openlfr.domain.problems import Problem, Where
from openlfr.domain.watchlist import (
    Duplicate,
    SnapshotEntry,
    WatchlistRecord,
    composition_problems,
)


@dataclass(frozen=True)
class Exclusion:
    """A pool record left out of the snapshot, and why."""

    reference: str
    problems: tuple[Problem, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.problems)


@dataclass(frozen=True)
class Selection:
    """The records chosen, those left out, and the problems that refuse the snapshot as a
    whole (empty: it may be built), for a deployment starting `on`."""

    on: date
    chosen: tuple[WatchlistRecord, ...]
    excluded: tuple[Exclusion, ...]
    problems: tuple[Problem, ...]

    @property
    def entries(self) -> list[SnapshotEntry]:
        """Each chosen record by reference, with its category and derived special categories."""
        return [
            SnapshotEntry(r.reference, r.category, tuple(sorted(r.special_categories(self.on))))
            for r in self.chosen
        ]

    @property
    def categories(self) -> list[str]:
        return sorted({r.category for r in self.chosen})

    @property
    def special_categories(self) -> list[str]:
        return sorted({s for r in self.chosen for s in r.special_categories(self.on)})


def select_for_snapshot(
    pool: Iterable[WatchlistRecord],
    unresolved: Iterable[Duplicate],
    terms: AuthorityTerms,
    on: date,
    named: Sequence[str] | None = None,
) -> Selection:
    """The pool records (all, or those `named`) that may go onto a snapshot taken under
    `terms` for a deployment starting `on`, given the duplicate pairs still unresolved."""
    by_reference = {r.reference: r for r in pool if named is None or r.reference in named}
    problems = [
        Problem("not_in_pool", f"{ref}: not in the watchlist pool", Where(section=ref))
        for ref in named or []
        if ref not in by_reference
    ]
    partners = _partners(unresolved)
    chosen, excluded = [], []
    for ref, record in sorted(by_reference.items()):
        misfit = composition_problems(record, terms, on)
        if named is not None:
            problems.extend(replace(p, text=f"{ref}: {p.text}") for p in misfit)
        reasons = [*misfit, *_stale(record, on), *_duplicate(ref, partners)]
        if reasons:
            excluded.append(Exclusion(ref, tuple(reasons)))
        else:
            chosen.append(record)
    if len(chosen) > terms.max_watchlist_size:
        problems.append(
            Problem(
                "too_many_records",
                f"{len(chosen)} records exceed the authorised maximum {terms.max_watchlist_size}",
            )
        )
    if not chosen and not problems:
        problems.append(
            Problem("nothing_fits", "no record in the pool fits the authorised composition")
        )
    return Selection(on, tuple(chosen), tuple(excluded), tuple(problems))


def _partners(unresolved: Iterable[Duplicate]) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = {}
    for pair in unresolved:
        partners.setdefault(pair.reference_a, set()).add(pair.reference_b)
        partners.setdefault(pair.reference_b, set()).add(pair.reference_a)
    return partners


def _stale(record: WatchlistRecord, on: date) -> list[Problem]:
    if not record.is_stale(on):
        return []
    text = f"review date {record.review_date} has passed: is this person still sought?"
    return [Problem("stale", text, Where(section=record.reference, field="review_date"))]


def _duplicate(reference: str, partners: dict[str, set[str]]) -> list[Problem]:
    if reference not in partners:
        return []
    text = f"possible duplicate of {', '.join(sorted(partners[reference]))}: resolve it"
    return [Problem("possible_duplicate", text, Where(section=reference))]
