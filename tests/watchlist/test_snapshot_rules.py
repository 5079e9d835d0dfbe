"""Selecting a snapshot against the authority, with no database: what is chosen, what is left
out and why, and what refuses the snapshot as a whole."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from openlfr.domain.authority import AuthorityTerms
from openlfr.domain.snapshot_selection import select_for_snapshot
from openlfr.domain.watchlist import (
    Duplicate,
    ImageSource,
    WatchlistImage,
    WatchlistRecord,
    composition_problems,
)

ON = date(2030, 6, 1)
TERMS = AuthorityTerms(
    threshold=0.45,
    cameras=["cam-1"],
    watchlist_categories=["wanted_by_courts", "missing_at_risk"],
    special_categories=[],
    max_watchlist_size=3,
    gold="gail",
)


def record(
    reference: str,
    category: str = "wanted_by_courts",
    born: date = date(1980, 4, 2),
    review: date = date(2031, 1, 1),
    source: ImageSource = ImageSource.POLICE,
) -> WatchlistRecord:
    image = WatchlistImage(file=f"{reference}.jpg", source=source, captured_on=date(2024, 3, 1))
    return WatchlistRecord(
        reference=reference,
        category=category,
        legal_basis="Warrant 123",
        date_of_birth=born,
        review_date=review,
        images=(image,),
    )


POOL = [
    record("OK1"),
    record("BAIL", category="bail_or_court_conditions"),
    record("TEEN", born=date(2014, 1, 1)),
    record("PRESS", source=ImageSource.NON_POLICE),
    record("STALE", review=date(2030, 5, 31)),
    record("D1"),
    record("D2", category="missing_at_risk"),
]
TWINS = [Duplicate("D1", "D2", 0.91)]


def test_every_record_that_fits_is_taken_and_the_rest_left_out_with_their_reasons() -> None:
    selection = select_for_snapshot(POOL, TWINS, TERMS, ON)
    assert selection.problems == ()
    assert [r.reference for r in selection.chosen] == ["OK1"]
    assert {e.reference: e.reasons for e in selection.excluded} == {
        "BAIL": ("category bail_or_court_conditions is not authorised",),
        "D1": ("possible duplicate of D2: resolve it",),
        "D2": ("possible duplicate of D1: resolve it",),
        "PRESS": ("special categories ['non_police_images'] are not authorised",),
        "STALE": ("review date 2030-05-31 has passed: is this person still sought?",),
        "TEEN": ("special categories ['under_18'] are not authorised",),
    }
    assert [p.code for e in selection.excluded for p in e.problems] == [
        "category_not_authorised",
        "possible_duplicate",
        "possible_duplicate",
        "special_categories_not_authorised",
        "stale",
        "special_categories_not_authorised",
    ]


def test_a_resolved_pair_is_taken() -> None:
    selection = select_for_snapshot(POOL, [], TERMS, ON)
    assert [r.reference for r in selection.chosen] == ["D1", "D2", "OK1"]
    assert selection.categories == ["missing_at_risk", "wanted_by_courts"]
    assert [(e.reference, e.category) for e in selection.entries] == [
        ("D1", "wanted_by_courts"),
        ("D2", "missing_at_risk"),
        ("OK1", "wanted_by_courts"),
    ]


def test_named_records_must_be_in_the_pool_and_fit_the_authority() -> None:
    named = ["OK1", "GHOST", "BAIL", "TEEN", "STALE"]
    selection = select_for_snapshot(POOL, TWINS, TERMS, ON, named)
    assert [p.text for p in selection.problems] == [
        "GHOST: not in the watchlist pool",
        "BAIL: category bail_or_court_conditions is not authorised",
        "TEEN: special categories ['under_18'] are not authorised",
    ]
    assert [(p.code, p.where.section, p.where.field) for p in selection.problems] == [
        ("not_in_pool", "GHOST", ""),
        ("category_not_authorised", "BAIL", "category"),
        ("special_categories_not_authorised", "TEEN", "special_categories"),
    ]
    assert {e.reference for e in selection.excluded} == {"BAIL", "TEEN", "STALE"}


def test_approved_special_categories_are_taken_and_reported() -> None:
    terms = TERMS.model_copy(update={"special_categories": ["under_18", "non_police_images"]})
    selection = select_for_snapshot(POOL, TWINS, terms, ON, ["TEEN", "PRESS"])
    assert selection.problems == ()
    assert selection.special_categories == ["non_police_images", "under_18"]


def test_more_records_than_authorised_or_none_at_all_refuse_the_snapshot() -> None:
    small = TERMS.model_copy(update={"max_watchlist_size": 2})
    [too_many] = select_for_snapshot(POOL, [], small, ON).problems
    assert (too_many.code, too_many.text) == (
        "too_many_records",
        "3 records exceed the authorised maximum 2",
    )
    [empty] = select_for_snapshot([record("BAIL", category="x")], [], TERMS, ON).problems
    assert (empty.code, empty.text) == (
        "nothing_fits",
        "no record in the pool fits the authorised composition",
    )


RECORDS = st.builds(
    record,
    reference=st.sampled_from([f"R{n}" for n in range(8)]),
    category=st.sampled_from(["wanted_by_courts", "missing_at_risk", "risk_of_harm"]),
    born=st.dates(date(1970, 1, 1), date(2025, 1, 1)),  # adults, under-18s and under-13s
    review=st.dates(date(2030, 1, 1), date(2031, 1, 1)),
    source=st.sampled_from(ImageSource),
)


@given(
    st.lists(RECORDS, max_size=8, unique_by=lambda r: r.reference),
    st.lists(
        st.tuples(st.sampled_from(["R0", "R1", "R2", "R3"]), st.sampled_from(["R4", "R5", "R6"]))
    ),
    st.integers(1, 8),
    st.sets(st.sampled_from(["under_13", "under_18", "non_police_images"])),
)
def test_what_is_chosen_fits_and_what_is_left_out_says_why(
    pool: list[WatchlistRecord], pairs: list[tuple[str, str]], size: int, specials: set[str]
) -> None:
    terms = TERMS.model_copy(
        update={"max_watchlist_size": size, "special_categories": sorted(specials)}
    )
    unresolved = [Duplicate(a, b, 0.8) for a, b in pairs]
    selection = select_for_snapshot(pool, unresolved, terms, ON)
    chosen = [r.reference for r in selection.chosen]
    left_out = [e.reference for e in selection.excluded]
    assert sorted(chosen + left_out) == sorted(r.reference for r in pool)
    paired = {ref for pair in pairs for ref in pair}
    for r in selection.chosen:
        assert composition_problems(r, terms, ON) == []
        assert not r.is_stale(ON) and r.reference not in paired
    assert all(e.problems for e in selection.excluded)
    assert set(selection.categories) <= set(terms.watchlist_categories)
    assert set(selection.special_categories) <= specials
    assert (selection.problems == ()) is (0 < len(chosen) <= size)
