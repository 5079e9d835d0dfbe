"""The import file's row rules, with no database and no images: each problem names its line and
column, and a record is accepted whole or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from openlfr.domain.policy_file import bundled_policy
from openlfr.domain.problems import Problem, Where
from openlfr.domain.watchlist_csv import (
    COLUMNS,
    CheckedRows,
    CsvRow,
    ImageFile,
    check_rows,
    missing_columns,
    whole_records,
)

POLICY = bundled_policy()
TODAY = date(2030, 1, 1)
GOOD = {
    "reference": "W1",
    "category": "wanted_by_courts",
    "legal_basis": "Warrant 123 (PACE s.24)",
    "date_of_birth": "1980-04-02",
    "review_date": "2031-01-01",
    "image": "w1.jpg",
    "image_source": "police",
    "captured_on": "2024-03-01",
    "disabled": "no",
    "gender_transition": "no",
}


def row(line: int, **cells: str) -> CsvRow:
    return CsvRow(line, {**GOOD, **cells})


def check(*rows: CsvRow, images: Mapping[str, ImageFile] | None = None) -> CheckedRows:
    found = images or {r.cells["image"]: ImageFile.FOUND for r in rows if r.cells["image"]}
    return check_rows(rows, found, POLICY, TODAY)


def where(checked: CheckedRows) -> list[tuple[str, int | None, str, str]]:
    return [(p.code, p.where.row, p.where.field, p.text) for p in checked.problems]


def test_a_good_row_is_a_record_with_its_derived_special_categories() -> None:
    checked = check(row(2, image_source="non_police", disabled="Yes"))
    assert checked.problems == []
    record = checked.accepted["W1"]
    assert record.disabled and record.special_categories(TODAY) == {"disabled", "non_police_images"}


def test_the_header_must_hold_every_column() -> None:
    assert missing_columns("records.csv", COLUMNS) == []
    [problem] = missing_columns("bad.csv", ["reference", "image"])
    assert problem.text.startswith("bad.csv: missing columns category, legal_basis, date_of_birth")


def test_each_problem_names_its_line_and_column() -> None:
    checked = check(
        row(2, reference="A", category="shoplifter"),
        row(3, reference="B", legal_basis=""),
        row(4, reference="C", disabled="maybe"),
        row(5, reference="D", date_of_birth="2031-01-01"),
        row(6, reference="E", review_date=""),
        row(7, reference="F", image_source="newspaper"),
    )
    assert where(checked) == [
        ("unknown_category", 2, "category", "unknown category 'shoplifter'"),
        ("missing", 3, "legal_basis", "missing legal basis"),
        ("not_yes_or_no", 4, "disabled", "disabled: write yes or no, not 'maybe'"),
        ("born_in_future", 5, "date_of_birth", "date of birth is in the future"),
        ("missing", 6, "review_date", "review_date: missing"),
        (
            "not_a_source",
            7,
            "image_source",
            "image_source: 'newspaper' is not one of police, non_police",
        ),
    ]
    assert checked.accepted == {}


def test_image_files_missing_outside_the_folder_or_unnamed_are_refused() -> None:
    rows = [
        row(2, reference="A", image=""),
        row(3, reference="B", image="../etc/passwd"),
        row(4, reference="C", image="gone.jpg"),
    ]
    checked = check(*rows, images={"../etc/passwd": ImageFile.OUTSIDE})
    assert where(checked) == [
        ("no_image", 2, "image", "no image file named"),
        ("image_outside", 3, "image", "image ../etc/passwd is outside the image folder"),
        ("image_not_found", 4, "image", "image gone.jpg not found"),
    ]


def test_the_rows_of_one_record_must_agree_on_the_person() -> None:
    checked = check(row(2), row(3, image="w1b.jpg", date_of_birth="1981-04-02", category="x"))
    assert where(checked) == [
        (
            "rows_disagree",
            3,
            "category",
            "differs from line 2 on category, date_of_birth",
        )
    ]


def test_a_bad_second_image_is_placed_on_its_own_line_and_refuses_the_whole_record() -> None:
    checked = check(row(2), row(3, image="w1b.jpg", captured_on="someday"), row(4, reference="W2"))
    assert [(p.where.row, p.where.field) for p in checked.problems] == [(3, "captured_on")]
    whole = whole_records(checked)
    assert whole.problems[-1] == Problem(
        "record_refused", "another image of this record was refused (line 3)", Where(row=2)
    )
    assert list(whole.accepted) == ["W2"]


def test_problems_found_later_refuse_the_record_too() -> None:
    gate = Problem("image_quality", "2 faces found", Where(row=2, field="image"))
    checked = whole_records(check(row(2), row(3, image="w1b.jpg")), [gate])
    assert [(p.where.row, p.text) for p in checked.problems] == [
        (2, "2 faces found"),
        (3, "another image of this record was refused (line 2)"),
    ]
    assert checked.accepted == {}


@given(st.text(max_size=8))
def test_a_flag_is_yes_or_no_or_refused_naming_what_was_written(value: str) -> None:
    value = value.strip()
    checked = check(row(2, gender_transition=value))
    known = value.lower() in {"yes", "true", "1", "y", "no", "false", "0", "n", ""}
    if known:
        assert checked.problems == []
        assert checked.accepted["W1"].gender_transition is (
            value.lower() in {"yes", "true", "1", "y"}
        )
    else:
        assert where(checked) == [
            (
                "not_yes_or_no",
                2,
                "gender_transition",
                f"gender_transition: write yes or no, not {value!r}",
            )
        ]


CELLS = st.fixed_dictionaries(
    {
        "reference": st.sampled_from(["R1", "R2", "R3"]),
        "category": st.sampled_from(["wanted_by_courts", "missing_at_risk", "shoplifter"]),
        "image": st.sampled_from(["a.jpg", "b.jpg", "c.jpg", ""]),
        "captured_on": st.sampled_from(["2024-03-01", "2031-01-01", "soon"]),
        "disabled": st.sampled_from(["no", "yes", "perhaps"]),
    }
)


@given(
    st.lists(CELLS, min_size=1, max_size=8),
    st.dictionaries(st.sampled_from(["a.jpg", "b.jpg", "c.jpg"]), st.sampled_from(ImageFile)),
    st.sets(st.integers(2, 9)),
)
def test_a_record_is_accepted_whole_or_refused_on_every_line(
    cells: list[dict[str, str]], images: dict[str, ImageFile], gate_refuses: set[int]
) -> None:
    rows = [row(line, **c) for line, c in enumerate(cells, start=2)]
    first = check_rows(rows, images, POLICY, TODAY)
    gate = [
        Problem("image_quality", "blurred", Where(row=r.line, field="image"))
        for r in rows
        if r.line in gate_refuses and r.line not in first.refused_lines
    ]
    checked = whole_records(first, gate)
    lines = {r.line for r in rows}
    assert all(p.where.row in lines for p in checked.problems)
    for reference, members in checked.members.items():
        refused = [r.line in checked.refused_lines for r in members]
        assert all(refused) or not any(refused)
        assert (reference in checked.accepted) is not any(refused)
    for reference, record in checked.accepted.items():
        assert len(record.images) == len(checked.members[reference])
