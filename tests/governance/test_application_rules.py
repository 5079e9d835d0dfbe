"""The application's pure rules, no database: every gap is reported at its own section and
field (so a form can show it there), and a section is edited a few fields at a time."""

from __future__ import annotations

import pytest

from govkit import END, T0, case, form
from openlfr.domain.application import (
    ApplicationForm,
    IntelligenceCase,
    Section,
    edited,
    section_fields,
)
from openlfr.domain.checks import application_problems
from openlfr.domain.errors import Refusal
from openlfr.domain.policy_file import bundled_policy_text, parse_policy

POLICY = parse_policy(bundled_policy_text())
OPTIONAL = {"reference", "raised_privacy", "legal_advice", "technical_advice"}
"""Fields no rule requires: blanking them leaves the application complete."""


def _everything() -> tuple[IntelligenceCase, ApplicationForm]:
    """A complete application using every conditional part: a raised-privacy place, a
    category needing the stricter justification and every special category."""
    return case(), form(
        place={
            "raised_privacy": ["school"],
            "raised_privacy_explanation": "A school gate is within the camera's view.",
            "additional_safeguards": "The camera does not cover the gate at school times.",
        },
        watchlist={
            "categories": ["wanted_by_courts", "associate"],
            "stricter_justification": "Associates are named in the intelligence case.",
        },
        special_categories=[
            {"category": c.key, "rationale": f"Needed for {c.title}."}
            for c in POLICY.special_categories
        ],
    )


@pytest.mark.parametrize("section", list(Section))
def test_a_gap_is_reported_at_its_own_section_and_field(section: Section) -> None:
    complete = _everything()
    assert application_problems(*complete, POLICY, T0.date()) == []
    empty = section_fields(IntelligenceCase(), ApplicationForm(), section)
    for name in section_fields(*complete, section):
        blank = "" if section is Section.SPECIAL else empty.get(name)  # proposed, no rationale
        blanked = edited(*complete, section, {name: blank})
        problems = application_problems(*blanked, POLICY, T0.date())
        assert {(p.where.section, p.where.field) for p in problems} <= {(section, name)}, name
        assert bool(problems) is (name not in OPTIONAL), name
        assert all(p.text.startswith(f"{section.heading}: ") for p in problems)


def test_a_wrong_value_is_reported_at_its_field() -> None:
    wrong = edited(case(use_case="astrology"), form(), Section.WATCHLIST, {"categories": ["x"]})
    wrong = edited(*wrong, Section.SPECIAL, {"made_up": "Because."})
    wrong = edited(
        *wrong, Section.DOCUMENTS, {"sop": {"version": "1.x", "review_date": END.date()}}
    )
    places = {
        (p.where.section, p.where.field, p.code)
        for p in application_problems(*wrong, POLICY, T0.date())
    }
    assert places == {
        (Section.CASE, "use_case", "unknown_use_case"),
        (Section.WATCHLIST, "categories", "unknown_watchlist_category"),
        (Section.SPECIAL, "made_up", "unknown_special_category"),
        (Section.DOCUMENTS, "sop", "document_version_unreadable"),
    }


def test_edits_of_different_fields_each_keep_the_other() -> None:
    original = case(), form()
    one = edited(*original, Section.PLACE, {"location": "Market square"})
    both = edited(*one, Section.PLACE, {"rationale": "Footfall."})
    assert both[1].place.location == "Market square"
    assert both[1].place.rationale == "Footfall."
    assert both[1].place.start == original[1].place.start


def test_records_of_sections_7_and_8_are_added_changed_and_removed_by_name() -> None:
    c, f = edited(case(), form(), Section.SPECIAL, {"under_18": "Missing children."})
    c, f = edited(c, f, Section.SPECIAL, {"disabled": "A vulnerable adult."})
    c, f = edited(c, f, Section.SPECIAL, {"under_18": None, "disabled": "Changed."})
    assert section_fields(c, f, Section.SPECIAL) == {"disabled": "Changed."}
    c, f = edited(c, f, Section.DOCUMENTS, {"dpia": None, "legal_advice": "Counsel agrees."})
    documents = section_fields(c, f, Section.DOCUMENTS)
    assert "dpia" not in documents and documents["legal_advice"] == "Counsel agrees."
    assert application_problems(c, f, POLICY, T0.date())[0].where.field == "dpia"


def test_a_value_that_does_not_fit_is_refused_at_its_field() -> None:
    with pytest.raises(Refusal) as refused:
        edited(case(), form(), Section.WATCHLIST, {"approximate_size": -1})
    assert [(p.where.section, p.where.field) for p in refused.value.details] == [
        (Section.WATCHLIST, "approximate_size")
    ]
    with pytest.raises(Refusal) as refused:
        edited(case(), form(), Section.DOCUMENTS, {"eia": {"version": "2", "review_date": "x"}})
    assert refused.value.details[0].where.field == "eia"
